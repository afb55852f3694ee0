"""What the catalog needs: the current municipality, the published offers, distance, lists."""

import functools
import math
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Now, Power, Sqrt
from django.utils import timezone

from associations.models import Association, Offer, OfferPhoto, PriceModel, Subject
from bookings.models import Occasion
from geo.positions import KM_PER_DEGREE_LAT, KM_PER_DEGREE_LON_EQUATOR
from municipalities.models import Municipality
from portal import compiled, generations
from portal.compiled import ID_MARK, MARK, Compiled
from portal.forms import is_digits
from schools.models import School

from .models import CatalogVisit, Favourite

SESSION_KEY = "catalog_municipality"
COOKIE_NAME = "aaben_skole_kommune"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def active_municipalities() -> QuerySet:
    return Municipality.objects.filter(is_active=True).order_by("name")


def municipality_list() -> list[Municipality]:
    """The active municipalities by name, kept in the process until a municipality changes
    (``generations.kept``): every catalog page reads them. Read only, shared."""
    return generations.kept(
        "catalog:municipalities", generations.REFERENCE, lambda: list(active_municipalities())
    )


def subject_choices() -> list[tuple[str, str]]:
    """The school subjects as the catalog filter's options (slug, name), kept in the process
    until a subject changes."""
    return generations.kept(
        "catalog:subjects",
        generations.REFERENCE,
        lambda: list(Subject.objects.order_by("position", "name").values_list("slug", "name")),
    )


def subject_names() -> dict[int, str]:
    """The school subjects' names by id, in their order, kept in the process until a subject
    changes (``generations.kept``). Read only, shared."""
    return generations.kept(
        "catalog:subject-names",
        generations.REFERENCE,
        lambda: dict(Subject.objects.order_by("position", "name").values_list("pk", "name")),
    )


def school_of(user) -> School | None:
    """The school of an approved staff member (their first), else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    memberships = user.active_school_memberships
    return memberships[0].school if memberships else None


def current_municipality(request, municipalities: list[Municipality]) -> Municipality | None:
    """The municipality the visitor browses: ?municipality=, session, cookie, own school, a
    consultant's own, and otherwise the active municipality with the most published offers
    (the only one, usually)."""
    by_slug = {m.slug: m for m in municipalities}
    for slug in (
        request.GET.get("municipality"),
        request.session.get(SESSION_KEY),
        request.COOKIES.get(COOKIE_NAME),
    ):
        if slug and slug in by_slug:
            return by_slug[slug]
    school = school_of(request.user)
    if school is not None and school.municipality.slug in by_slug:
        return by_slug[school.municipality.slug]
    consultant_of = getattr(request.user, "consultant_municipality", None)
    if consultant_of is not None and consultant_of.slug in by_slug:
        return by_slug[consultant_of.slug]
    if len(municipalities) <= 1:
        return municipalities[0] if municipalities else None
    busiest = cache.get_or_set(BUSIEST_KEY, _busiest_municipality, BUSIEST_SECONDS)
    return by_slug.get(busiest) or municipalities[0]


#: Which municipality a visitor who chose none sees: the one with the most published offers.
#: Counting every offer in the country takes tens of milliseconds at national scale and
#: changes slowly, so the answer is kept for a few minutes (a default, not a fact).
BUSIEST_KEY = "catalog:busiest-municipality"
BUSIEST_SECONDS = 600


def _busiest_municipality() -> str | None:
    counts = (
        Offer.objects.published()
        .filter(association__municipalities__is_active=True)
        .values("association__municipalities__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "association__municipalities__slug")
    )
    first = counts.first()
    return first["association__municipalities__slug"] if first else None


def remember_municipality(request, response, municipality: Municipality | None) -> None:
    if municipality is None:
        return
    request.session[SESSION_KEY] = municipality.slug
    response.set_cookie(
        COOKIE_NAME, municipality.slug, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True
    )


#: The pupils of a typical Danish school class (about 22 on average): what one class pays
#: for an offer priced per pupil (materials), in the maximum-price filter. Its pages show
#: that price per pupil; a booking is priced for its own pupils (``bookings`` pricing).
TYPICAL_CLASS_PUPILS = 22


def price_for_one_class():
    """An expression: what one class pays (hourly fees for the offer's duration, materials
    for a typical class)."""
    return Case(
        When(price_model=PriceModel.FREE, then=Value(0)),
        When(
            price_model=PriceModel.MATERIALS,
            then=ExpressionWrapper(
                F("price_amount") * Value(TYPICAL_CLASS_PUPILS),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        ),
        When(
            price_model=PriceModel.HOURLY,
            then=ExpressionWrapper(
                F("price_amount") * F("duration_minutes") / Value(60),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        ),
        default=F("price_amount"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def offer_price_for_one_class(offer: Offer):
    if offer.price_model == PriceModel.FREE:
        return 0
    if offer.price_amount is None:
        return None
    if offer.price_model == PriceModel.HOURLY:
        if offer.duration_minutes is None:  # a draft's preview
            return None
        return round(offer.price_amount * offer.duration_minutes / 60, 2)
    if offer.price_model == PriceModel.MATERIALS:
        return offer.price_amount * TYPICAL_CLASS_PUPILS
    return offer.price_amount


#: The columns of an offer that the catalog's lists read: the cards (``catalog.cards``;
#: their price for one class, next date and distance are computed in the query), the
#: favourite button, and the link (``get_absolute_url`` reads ``revision_of``).
LIST_COLUMNS = (
    "revision_of",
    "slug",
    "title",
    "summary",
    "on_request",
    "domain",
    "grade_min",
    "grade_max",
    "format",
    "price_model",
    "price_amount",
    "association__name",
)


def catalog_offers(municipality: Municipality | None) -> QuerySet:
    """Published offers in the municipality, ready for cards (constant number of queries).
    Only ``LIST_COLUMNS`` are loaded: a list that shows another column adds it there (a
    deferred column read per row is a query per row).

    The queryset depends on nothing but the municipality and the day (the next dates are
    compared with the database's ``now()``), so it is built once per process for each of
    them (``_catalog_base``) and cloned for each request, as a view's ``queryset``
    attribute is."""
    return _catalog_base(municipality, timezone.localdate()).all()


@functools.lru_cache(maxsize=256)
def _catalog_base(municipality: Municipality | None, today: date) -> QuerySet:
    """``catalog_offers`` as built (never evaluated: only its clones are): the day's
    published offers (``_published_base``) in the municipality. ``today`` is what
    ``published()`` compares the certificates with; it is the key's second part."""
    return _published_base(today).for_municipality(municipality)


@functools.lru_cache(maxsize=2)
def _published_base(today: date) -> QuerySet:
    """The published offers with what the cards show, in every municipality: built once per
    process and day (≈ 1,600 Python calls of the ORM's filters, annotations and subqueries),
    so that a municipality seen for the first time costs only its own filter (≈ 350). Its
    conditions come first in the SQL's WHERE clause, as when the municipality was filtered
    first (the filter adds no join and no aggregate)."""
    return with_next_date(
        Offer.objects.published()
        .select_related("association")
        # Only what the lists show: the stored search document is large and only the
        # database reads it (loading it made PostgreSQL unpack it for every row it sorts),
        # and each further column costs the ORM and the driver work for every row.
        .only(*LIST_COLUMNS)
        .annotate(class_price=price_for_one_class())
        .prefetch_related(card_photos())
    )


def offer_cards(ids: list[int], origin: tuple[float, float] | None = None) -> list[Offer]:
    """The offers ``ids`` in that order, as ``catalog_offers`` gives them for cards (its
    columns, the price for one class, the next date, ``card_photos``) and with ``origin``
    their ``distance``: the page of a search (``catalog.filters.results``) that found the
    ids with all its conditions, so they are not asked again. An id not found (deleted
    since) is left out.

    Both queries (the offers, their photos) are compiled once per process for each number
    of ``CARD_SLOTS`` (``portal.compiled``; unused places get id 0, which no row has): a
    page's ids are ``PAGE_SIZE`` or fewer."""
    if not ids:
        return []
    slots = -(-len(ids) // CARD_SLOTS) * CARD_SLOTS
    padding = [0] * (slots - len(ids))
    offer_fields, association_fields = _card_fields()
    by_pk = {}
    distance = [] if origin is None else list(_distance_values(origin))
    for row in _card_query(slots, origin is not None).rows(*ids, *padding, *distance):
        offer = _with_association(row, offer_fields, association_fields)
        extra = row[len(offer_fields) + len(association_fields) :]
        offer.class_price, offer.next_starts_at, offer.next_free, *rest = extra
        if rest:
            offer.distance = rest[0]
        offer.card_photos = []
        by_pk[offer.pk] = offer
    photo_fields = compiled.fields(OfferPhoto)
    for row in _card_photos_query(slots).rows(*ids, *padding):
        photo = compiled.instance(OfferPhoto, photo_fields, row)
        by_pk[photo.offer_id].card_photos.append(photo)
    return [by_pk[pk] for pk in ids if pk in by_pk]


#: ``offer_cards`` compiles its queries for ids in multiples of this (the embed's page).
CARD_SLOTS = 12
#: Values no origin has, marking where ``distance_km``'s go (``_distance_values``).
ORIGIN_MARKS = (-1001.25, -1002.25, -1003.25)


@functools.cache
def _card_fields() -> tuple[tuple, tuple]:
    own = (*(c for c in LIST_COLUMNS if "__" not in c), "association")
    related = tuple(c.removeprefix("association__") for c in LIST_COLUMNS if "__" in c)
    return compiled.fields(Offer, own), compiled.fields(Association, related)


@functools.lru_cache(maxsize=8)
def _card_query(slots: int, distance: bool) -> Compiled:
    """``offer_cards``'s query for ``slots`` ids (with ``distance``: from an origin)."""
    marks = compiled.id_marks(slots)
    offers = with_next_date(
        Offer.objects.filter(pk__in=marks).annotate(class_price=price_for_one_class())
    )
    annotations = ["class_price", "next_starts_at", "next_free"]
    if distance:
        lat, lon, km_lon = ORIGIN_MARKS
        offers = offers.annotate(distance=_distance(lat, lon, km_lon))
        annotations.append("distance")
        marks += ORIGIN_MARKS
    offer_fields, association_fields = _card_fields()
    columns = [
        *compiled.names(offer_fields),
        *compiled.names(association_fields, "association__"),
        *annotations,
    ]
    return Compiled(offers.order_by().values_list(*columns), *marks)


@functools.lru_cache(maxsize=8)
def _card_photos_query(slots: int) -> Compiled:
    marks = compiled.id_marks(slots)
    photos = OfferPhoto.objects.filter(offer__in=marks).order_by("position", "id")
    return Compiled(photos.values_list(*compiled.names(compiled.fields(OfferPhoto))), *marks)


def card_photos() -> Prefetch:
    """The photos an offer card shows, as a plain list (``offer.card_photos``): reading it
    in the template costs no queryset per card."""
    return Prefetch(
        "photos", queryset=OfferPhoto.objects.order_by("position", "id"), to_attr="card_photos"
    )


#: How many similar offers the page of an offer schools cannot see now suggests.
SIMILAR_OFFERS = 3


def offer_lookup(slug: str) -> Q:
    """An offer by slug, or by id (``/offers/42/``)."""
    return Q(slug=slug) | Q(pk=int(slug)) if is_digits(slug) else Q(slug=slug)


#: The columns of an offer and of its association that the offer's page reads
#: (``catalog_tags.offer_body`` and ``offer_booking``, ``offer_detail.html``, the embed's page,
#: the price for one class; ``get_absolute_url`` and ``live`` read ``revision_of``). Not loaded: the screening's dates
#: and state, the map position and the stored search document (large; only the database
#: reads it). A page that shows another column adds it here (a deferred column costs a query).
DETAIL_COLUMNS = (
    "revision_of",
    "slug",
    "title",
    "summary",
    "description",
    "domain",
    "grade_min",
    "grade_max",
    "format",
    "location",
    "location_address",
    "location_postal_code",
    "duration_minutes",
    "pupils_min",
    "pupils_max",
    "sessions_per_week",
    "season_start_week",
    "season_end_week",
    "weekdays",
    "on_request",
    "price_model",
    "price_amount",
    "learning_goals",
    "faelles_maal_url",
    "what_to_bring",
    "accessibility",
    "weather",
    "transport",
    "instructor_experience",
    "association__revision_of",
    "association__slug",
    "association__name",
)

#: The association's contact details, which only logged-in school staff see
#: (``catalog.permissions.can_see_contact``): loaded only for them.
CONTACT_COLUMNS = (
    "association__contact_name",
    "association__contact_role",
    "association__contact_email",
    "association__contact_phone",
)


def published_offer(slug: str, *, contact: bool = False) -> Offer | None:
    """A published offer by slug, or by id (``/offers/42/``), with what its page shows:
    ``photo_list`` (its photos in order) and ``subject_names`` (its school subjects' names),
    which ``catalog_tags.offer_body`` reads instead of the offer's related managers: both
    from one plain query (``_photos_and_subjects``), which costs the ORM less than two
    prefetches or two queries, and the subjects' names from the per-process list. Both
    queries are compiled once per process (and day: ``published()`` compares the
    certificates with it; ``portal.compiled``). With ``contact``, the association's contact
    details are loaded too (``CONTACT_COLUMNS``)."""
    by_id = is_digits(slug) and len(slug) < 19  # longer is no id (SQLite refuses it)
    query = _published_detail(timezone.localdate(), contact, by_id)
    rows = query.rows(slug, int(slug)) if by_id else query.rows(slug)
    if not rows:
        return None
    offer = _with_association(rows[0], *_detail_fields(contact))
    photos, chosen = {}, set()
    for photo_id, image, alt_text, subject_id in _photos_and_subjects().rows(offer.pk):
        if photo_id is not None and photo_id not in photos:
            photos[photo_id] = OfferPhoto(pk=photo_id, offer=offer, image=image, alt_text=alt_text)
        chosen.add(subject_id)
    offer.photo_list = list(photos.values())
    offer.subject_names = [name for pk, name in subject_names().items() if pk in chosen]
    return offer


#: The columns the association page shows of the association (catalog/_association_body.html)
#: and of its offers (``catalog_tags.association_offer``; ``revision_of`` for ``offer.live``).
ASSOCIATION_SHOWN = (
    "name",
    "logo",
    "description",
    "domains",
    "address",
    "postal_code",
    "town",
    "website",
)
ASSOCIATION_OFFER_SHOWN = (
    "revision_of",
    "slug",
    "title",
    "summary",
    "domain",
    "grade_min",
    "grade_max",
    "format",
    "price_model",
)


def published_association(slug: str) -> Association | None:
    """A published association by slug, with the columns its page shows."""
    rows = _published_associations().rows(slug)
    shown = compiled.fields(Association, ASSOCIATION_SHOWN)
    return compiled.instance(Association, shown, rows[0]) if rows else None


def association_offers(association: Association) -> list[Offer]:
    """The published offers of a published association, by title, as its page lists them."""
    offer_fields = compiled.fields(Offer, ASSOCIATION_OFFER_SHOWN)
    rows = _offers_of(timezone.localdate()).rows(association.pk)
    return [compiled.instance(Offer, offer_fields, row) for row in rows]


# The queries of the offer and association pages, compiled once per process (and day, for
# those that ``published()`` compares with it; ``portal.compiled``): compiling them cost the
# ORM more than running them.


@functools.cache
def _detail_fields(contact: bool) -> tuple[tuple, tuple]:
    """The offer's fields and its association's that the offer's page reads."""
    columns = DETAIL_COLUMNS + CONTACT_COLUMNS if contact else DETAIL_COLUMNS
    own = (*(c for c in columns if "__" not in c), "association")  # its id, as select_related
    related = tuple(c.removeprefix("association__") for c in columns if "__" in c)
    return compiled.fields(Offer, own), compiled.fields(Association, related)


def _with_association(row: tuple, offer_fields: tuple, association_fields: tuple) -> Offer:
    """An offer and its association from the start of ``row`` (``offer_fields``, then
    ``association_fields``), as ``select_related`` loads them."""
    offer = compiled.instance(Offer, offer_fields, row[: len(offer_fields)])
    end = len(offer_fields) + len(association_fields)
    association = compiled.instance(Association, association_fields, row[len(offer_fields) : end])
    Offer._meta.get_field("association").set_cached_value(offer, association)
    return offer


@functools.cache
def _published_associations() -> Compiled:
    associations = Association.objects.published().filter(slug=MARK).order_by()[:1]
    columns = compiled.names(compiled.fields(Association, ASSOCIATION_SHOWN))
    return Compiled(associations.values_list(*columns), MARK)


@functools.lru_cache(maxsize=2)
def _offers_of(today: date) -> Compiled:
    offers = Offer.objects.shown().filter(association_id=ID_MARK).order_by("title")
    columns = compiled.names(compiled.fields(Offer, ASSOCIATION_OFFER_SHOWN))
    return Compiled(offers.values_list(*columns), ID_MARK)


@functools.cache
def _photos_and_subjects() -> Compiled:
    """An offer's photos in order and its subjects' ids in one query: a row for each photo
    and subject, at most ``OfferPhoto.MAX_PER_OFFER`` times the offer's few subjects. One
    query with plain rows costs the ORM less than two (≈ 600 Python calls against 900)."""
    photos = Offer.objects.filter(pk=ID_MARK).order_by("photos__position", "photos__id")
    columns = ("photos__id", "photos__image", "photos__alt_text", "subjects")
    return Compiled(photos.values_list(*columns), ID_MARK)


@functools.lru_cache(maxsize=8)
def _published_detail(today: date, contact: bool, by_id: bool) -> Compiled:
    """The published offer by slug (``by_id``: or by id) with the columns its page shows
    and its association's (``_detail_fields``)."""
    offer_fields, association_fields = _detail_fields(contact)
    offers = Offer.objects.published()
    if by_id:
        offers = offers.filter(Q(slug=MARK) | Q(pk=ID_MARK))
        marks = (MARK, ID_MARK)
    else:  # slugs are unique: no order to pick the first by
        offers = offers.filter(slug=MARK).order_by()
        marks = (MARK,)
    columns = [*compiled.names(offer_fields), *compiled.names(association_fields, "association__")]
    return Compiled(offers[:1].values_list(*columns), *marks)


def unavailable_offer(slug: str) -> Offer | None:
    """An offer schools could see once and cannot see now (a child certificate ran out, its
    approval expired, it is paused or suspended); None for an unknown slug or an offer that
    was never published or is gone for good (withdrawn, rejected)."""
    return (
        Offer.objects.once_published()
        .filter(offer_lookup(slug))
        .exclude(pk__in=Offer.objects.published().values("pk"))
        .select_related("association")
        .first()
    )


def similar_municipality(offer: Offer, current: Municipality | None) -> Municipality | None:
    """Where to look for offers like ``offer``: the visitor's municipality if the offer was
    offered there, else the first of the offer's own."""
    municipalities = list(offer.association.municipalities.filter(is_active=True).order_by("name"))
    if current is not None and current in municipalities:
        return current
    return municipalities[0] if municipalities else current


def similar_offers(offer: Offer, municipality: Municipality | None) -> list[Offer]:
    """A few published offers of the same domain in the municipality, for cards."""
    return list(
        catalog_offers(municipality)
        .filter(domain=offer.domain)
        .exclude(pk=offer.pk)
        .order_by("-approved_at", "title")[:SIMILAR_OFFERS]
    )


def with_next_date(offers: QuerySet) -> QuerySet:
    """``offers`` with the start of each one's next upcoming date (``next_starts_at``, None
    without one) and that date's free places (``next_free``): a subquery each in the same
    query, so a page of cards costs no query per card."""
    upcoming = (
        Occasion.objects.upcoming(now=Now())
        .filter(offer=OuterRef("pk"))
        .order_by("starts_at", "pk")
    )
    return offers.annotate(
        next_starts_at=Subquery(upcoming.values("starts_at")[:1]),
        next_free=Subquery(
            upcoming.annotate(free=F("capacity") - F("reserved")).values("free")[:1],
            output_field=IntegerField(),
        ),
    )


def published_associations(municipality: Municipality | None = None) -> QuerySet:
    qs = Association.objects.published()
    if municipality is not None:
        qs = qs.for_municipality(municipality)
    return qs


def calendar_occasions(offers: QuerySet, first: date, last: date, limit: int) -> list[Occasion]:
    """The upcoming dates from ``first`` to ``last`` (local days, inclusive) of ``offers``
    (a filtered catalog) with fixed dates, in order, with their offers and associations: at
    most ``limit``."""
    tz = timezone.get_current_timezone()
    start = max(timezone.make_aware(datetime.combine(first, time.min), tz), timezone.now())
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return list(
        Occasion.objects.upcoming()
        .filter(offer__in=offers.order_by().values("pk"), starts_at__gte=start, starts_at__lt=end)
        .filter(offer__on_request=False)
        .select_related("offer__association")
        .defer("offer__search_document")  # as catalog_offers: only the database reads it
        .order_by("starts_at", "pk")[:limit]
    )


#: The columns of a date that the offer's page shows.
UPCOMING_SHOWN = ("starts_at", "ends_at", "place", "capacity", "reserved", "confirm_on_booking")


def upcoming_occasions(offer: Offer) -> list[Occasion]:
    """The dates the offer's page lists (none for an offer on request: the school proposes
    dates), with the columns it shows (``UPCOMING_SHOWN``)."""
    if offer.on_request:
        return []
    query, occasion_fields = _upcoming_dates()
    return [compiled.instance(Occasion, occasion_fields, row) for row in query.rows(offer.pk)]


@functools.cache
def _upcoming_dates() -> tuple[Compiled, tuple]:
    """``upcoming_occasions``' query, compiled once per process and thread
    (``portal.compiled``): it compares with the database's ``now()``, as the catalog's next
    dates do, so it holds no moment; the offer's id goes in its mark."""
    occasion_fields = compiled.fields(Occasion, UPCOMING_SHOWN)
    dates = (
        Occasion.objects.upcoming(now=Now()).filter(offer_id=ID_MARK).order_by("starts_at", "pk")
    )
    return Compiled(dates.values_list(*compiled.names(occasion_fields)), ID_MARK), occasion_fields


def origin_for_postal_code(postal_code: str) -> tuple[float, float] | None:
    """A point for a postal code: the mean of known schools' and associations' coordinates."""
    if not postal_code or not is_digits(postal_code) or len(postal_code) != 4:
        return None
    points = list(
        School.objects.filter(postal_code=postal_code, latitude__isnull=False)
        .exclude(longitude__isnull=True)
        .values_list("latitude", "longitude")
    ) + list(
        Association.objects.filter(postal_code=postal_code, latitude__isnull=False)
        .exclude(longitude__isnull=True)
        .values_list("latitude", "longitude")
    )
    if not points:
        return None
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def origin_for_school(school: School | None) -> tuple[float, float] | None:
    if school is None or school.latitude is None or school.longitude is None:
        return None
    return (school.latitude, school.longitude)


def _postal_code_centre(field: str):
    """The mean ``field`` (latitude/longitude) of known schools in the association's postal
    code: where an association without coordinates probably is."""
    return Subquery(
        School.objects.filter(
            postal_code=OuterRef("association__postal_code"), **{f"{field}__isnull": False}
        )
        .order_by()
        .values("postal_code")
        .annotate(centre=Avg(field))
        .values("centre")[:1],
        output_field=FloatField(),
    )


def distance_km(origin: tuple[float, float]):
    """An expression: the approximate distance (km) from origin to the offer's association
    (its coordinates, else the centre of its postal code).

    Equirectangular approximation, well under 1 % off at Danish distances, and it works on
    SQLite and PostgreSQL alike.
    """
    return _distance(*_distance_values(origin))


def _distance_values(origin: tuple[float, float]) -> tuple[float, float, float]:
    """The origin's latitude and longitude, and the km per degree of longitude there."""
    lat0, lon0 = origin
    return lat0, lon0, KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat0))


def _distance(lat0: float, lon0: float, km_lon: float):
    latitude = Coalesce(F("association__latitude"), _postal_code_centre("latitude"))
    longitude = Coalesce(F("association__longitude"), _postal_code_centre("longitude"))
    return ExpressionWrapper(
        Sqrt(
            Power((latitude - Value(lat0)) * Value(KM_PER_DEGREE_LAT), 2)
            + Power((longitude - Value(lon0)) * Value(km_lon), 2)
        ),
        output_field=FloatField(),
    )


def distance_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    km_lon = KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(a[0]))
    return math.hypot((b[0] - a[0]) * KM_PER_DEGREE_LAT, (b[1] - a[1]) * km_lon)


def record_visit(user) -> datetime | None:
    """Note this catalog visit; returns the start of "new since my last visit" (or None)."""
    now = timezone.now()
    visit, created = CatalogVisit.objects.get_or_create(user=user, defaults={"last_visit_at": now})
    if created:
        return None
    # A new visit starts after 30 minutes without the catalog.
    if (now - visit.last_visit_at).total_seconds() > 30 * 60:
        visit.previous_visit_at = visit.last_visit_at
    visit.last_visit_at = now
    visit.save(update_fields=["previous_visit_at", "last_visit_at"])
    return visit.previous_visit_at


def toggle_favourite(user, offer: Offer) -> bool:
    """Mark or unmark; returns True when it is now a favourite."""
    deleted, _ = Favourite.objects.filter(user=user, offer=offer).delete()
    if deleted:
        return False
    Favourite.objects.get_or_create(user=user, offer=offer)
    return True


def favourite_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Favourite.objects.filter(user=user).values_list("offer_id", flat=True))
