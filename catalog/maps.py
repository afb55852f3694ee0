"""The catalog as a map (``/map/``): the offers the catalog's filters leave (the same
``OfferFilter``, so list and map show the same offers), grouped by where they are: at their
association, or at a place of their own (an offer that happens elsewhere); the
municipality's schools; and the municipality's areas (``geo.MapArea``) a visitor may see.
A consultant may keep only what lies inside or near one of the areas (``AreaFilterForm``).

Everything the page shows is built here once: the markers for the script (embedded as JSON)
and the same groups for the list under the map, which is the page without JavaScript."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Offer
from geo.models import MapArea
from portal import addresses
from schools.models import School

#: The most offers one map shows; narrower filters show the rest.
MAP_LIMIT = 500
#: The widest "near an area" a consultant may ask for (km).
MAX_NEAR_KM = 50
#: What the map and its list read of an offer and its association (both published: their
#: own slugs are their pages'). A page that shows another column adds it here: a deferred
#: column read per row costs a query per row (``tests/catalog/test_map.py`` counts them).
MAP_COLUMNS = (
    "slug",
    "title",
    "location",
    "location_address",
    "location_postal_code",
    "location_latitude",
    "location_longitude",
    "association__slug",
    "association__name",
    "association__address",
    "association__postal_code",
    "association__town",
    "association__latitude",
    "association__longitude",
)

Point = tuple[float, float]


class AreaFilterForm(forms.Form):
    """The consultant's filter: only what lies inside an area or within ``near`` km of it.
    The choices are the areas already loaded for the map (no query of its own)."""

    area = forms.TypedChoiceField(
        label=_("Inside or near the area"),
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    near = forms.DecimalField(
        label=_("Or at most this far from it (km)"),
        required=False,
        min_value=0,
        max_value=MAX_NEAR_KM,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"min": 0, "max": MAX_NEAR_KM, "step": "0.5", "class": "form-control"}
        ),
    )

    def __init__(self, data, *, areas):
        super().__init__(data)
        self._areas = {a.pk: a for a in areas}
        self.fields["area"].choices = [("", _("Everywhere"))] + [(a.pk, a.name) for a in areas]

    def chosen(self) -> tuple[MapArea | None, float]:
        if not self.is_valid() or not self.cleaned_data.get("area"):
            return None, 0.0
        return self._areas[self.cleaned_data["area"]], float(self.cleaned_data.get("near") or 0)


@dataclass
class MapOffer:
    """An offer with its link, made once for the markers and the list (up to MAP_LIMIT
    links a page, without a ``reverse()`` each)."""

    offer: Offer
    url: str


@dataclass
class Place:
    """A place of its own where offers of one association happen."""

    address: str
    postal_code: str
    point: Point
    offers: list[MapOffer] = field(default_factory=list)


@dataclass
class AssociationGroup:
    association: Association
    url: str
    point: Point | None
    offers: list[MapOffer] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


@dataclass
class MapContent:
    groups: list[AssociationGroup]
    schools: list[School]
    areas: list[MapArea]
    too_many: bool = False

    @property
    def offer_count(self) -> int:
        return sum(len(g.offers) for g in self.groups)

    @property
    def without_position(self) -> list[AssociationGroup]:
        return [g for g in self.groups if g.point is None and not g.places]


def _point(lat, lon) -> Point | None:
    return (lat, lon) if lat is not None and lon is not None else None


def build(offers, schools, areas, *, area: MapArea | None = None, near_km: float = 0.0):
    """Group ``offers`` (a sliced queryset or list, at most MAP_LIMIT + 1 of them) by
    association and place; with ``area``, keep only what lies inside it or ``near_km`` from
    it (an offer counts where it happens: its place, else its association)."""
    offers = list(offers)
    too_many = len(offers) > MAP_LIMIT
    groups: dict[int, AssociationGroup] = {}

    def kept(point: Point | None) -> bool:
        return area is None or (point is not None and area.distance_km(point) <= near_km)

    for offer in offers[:MAP_LIMIT]:
        association = offer.association
        home = _point(association.latitude, association.longitude)
        where = offer.place_position or home
        if not kept(where):
            continue
        group = groups.get(association.pk)
        if group is None:
            url = addresses.of("catalog:association_detail", association.slug)
            group = groups[association.pk] = AssociationGroup(association, url, home)
        entry = MapOffer(offer, addresses.of("catalog:offer_detail", offer.slug))
        group.offers.append(entry)
        if offer.place_position is not None:
            place = next((p for p in group.places if p.point == offer.place_position), None)
            if place is None:
                place = Place(offer.location_address, offer.location_postal_code, where)
                group.places.append(place)
            place.offers.append(entry)
    schools = [s for s in schools if area is None or kept(_point(s.latitude, s.longitude))]
    ordered = sorted(groups.values(), key=lambda g: (g.association.name.lower(), g.association.pk))
    return MapContent(ordered, schools, list(areas), too_many)


def _offer_json(entry: MapOffer) -> dict:
    return {"title": entry.offer.title, "url": entry.url}


def markers(content: MapContent) -> dict:
    """What the script draws: markers of three kinds and the areas (GeoJSON). Texts are
    plain strings the script puts in as text, never as HTML."""
    points = []
    for group in content.groups:
        association = group.association
        url = group.url
        at_home = [o for o in group.offers if o.offer.place_position is None]
        if group.point is not None and (at_home or not group.places):
            points.append(
                {
                    "kind": "association",
                    "lat": group.point[0],
                    "lon": group.point[1],
                    "name": association.name,
                    "address": f"{association.address}, {association.postal_code} {association.town}",
                    "url": url,
                    "offers": [_offer_json(o) for o in at_home],
                }
            )
        for place in group.places:
            points.append(
                {
                    "kind": "place",
                    "lat": place.point[0],
                    "lon": place.point[1],
                    "name": association.name,
                    "address": f"{place.address}, {place.postal_code}".strip(", "),
                    "url": url,
                    "offers": [_offer_json(o) for o in place.offers],
                }
            )
    for school in content.schools:
        if school.latitude is None or school.longitude is None:
            continue
        points.append(
            {
                "kind": "school",
                "lat": school.latitude,
                "lon": school.longitude,
                "name": school.name,
                "address": f"{school.address}, {school.postal_code} {school.town}".strip(", "),
                "url": "",
                "offers": [],
            }
        )
    return {
        "markers": points,
        "areas": [
            {
                "type": "Feature",
                "properties": {"name": a.name, "description": a.description},
                "geometry": a.outline or a.geometry,
            }
            for a in content.areas
        ],
    }
