"""The catalog as a map (/map/): the same filters and offers as the list, markers of
associations, places and schools embedded as JSON, the same results as a list under the map,
areas only for those who may see them, the consultant's area filter, and a constant number
of queries."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalog import maps
from geo.models import MapArea
from tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
URL = "/map/"
# Around Helsingør's harbour: 56.03–56.04 N, 12.60–12.62 E.
HARBOUR = [[12.60, 56.03], [12.62, 56.03], [12.62, 56.04], [12.60, 56.04], [12.60, 56.03]]


def area(municipality, name="Havnen", *, public=False):
    return MapArea.objects.create(
        municipality=municipality,
        name=name,
        geometry={"type": "MultiPolygon", "coordinates": [[HARBOUR]]},
        is_public=public,
    )


def map_data(response) -> dict:
    text = response.content.decode()
    start = text.index('<script id="map-data" type="application/json">') + 46
    return json.loads(text[start : text.index("</script>", start)])


def listed(response) -> set[str]:
    return {o.offer.title for g in response.context["content"].groups for o in g.offers}


def test_the_map_shows_associations_places_and_schools(client, municipality, make_offer):
    club = f.AssociationFactory(
        municipalities=[municipality], name="Kajakklubben", latitude=56.035, longitude=12.61
    )
    at_home = make_offer(association=club, title="Kajak på havnen", location="association")
    elsewhere = make_offer(
        association=club,
        title="Kajak i skoven",
        location="elsewhere",
        location_address="Skovvej 2",
        location_postal_code="3000",
        location_latitude=56.02,
        location_longitude=12.55,
    )
    f.SchoolFactory(municipality=municipality, name="Byskolen", latitude=56.03, longitude=12.59)
    f.SchoolFactory(name="Skole i en anden kommune")
    response = client.get(URL)
    assert response.status_code == 200
    data = map_data(response)
    kinds = {(m["kind"], m["name"]): m for m in data["markers"]}
    home = kinds[("association", "Kajakklubben")]
    assert (home["lat"], home["lon"]) == (56.035, 12.61)
    assert home["offers"] == [{"title": "Kajak på havnen", "url": at_home.get_absolute_url()}]
    assert home["url"] == reverse("catalog:association_detail", args=[club.slug])
    place = kinds[("place", "Kajakklubben")]
    assert place["offers"] == [{"title": "Kajak i skoven", "url": elsewhere.get_absolute_url()}]
    assert place["url"] == home["url"]
    assert place["address"] == "Skovvej 2, 3000"
    assert ("school", "Byskolen") in kinds
    assert ("school", "Skole i en anden kommune") not in kinds
    assert data["areas"] == []
    # The list under the map: the page without JavaScript.
    html = response.content.decode()
    assert "Kajak på havnen" in html and "Kajak i skoven" in html and "Byskolen" in html
    for link in (home["url"], at_home.get_absolute_url(), elsewhere.get_absolute_url()):
        assert f'href="{link}"' in html
    assert "Kortet kræver JavaScript" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "grade=5&domain=sport",
        "domain=music",
        "where=out",
        "q=kajak",
        "free=true&format=visit",
        "postal_code=3000&distance=5",
    ],
)
def test_the_map_and_the_list_show_the_same_offers(
    client, municipality, association, make_offer, query
):
    association.latitude, association.longitude = 56.03, 12.6
    association.save()
    far = f.AssociationFactory(municipalities=[municipality], latitude=55.5, longitude=9.5)
    make_offer(title="Kajak 5.", domain="sport", grade_min=4, grade_max=6)
    make_offer(title="Kajak 9.", domain="sport", grade_min=8, grade_max=9, location="association")
    make_offer(title="Kor", domain="music", format="event", association=far)
    f.SchoolFactory(municipality=municipality, postal_code="3000")
    make_offer(title="Skovtur", domain="nature", location="elsewhere", location_address="Skov 1")
    in_list = client.get(reverse("catalog:offer_list") + "?" + query)
    on_map = client.get(URL + "?" + query)
    assert {o.title for o in in_list.context["offers"]} == listed(on_map)
    titles = {o["title"] for m in map_data(on_map)["markers"] for o in m["offers"]}
    assert titles == listed(on_map)


def test_the_list_links_to_the_map_with_its_filters(client, municipality, make_offer):
    make_offer()
    response = client.get(reverse("catalog:offer_list") + "?grade=5&domain=sport")
    assert 'href="/map/?grade=5&amp;domain=sport"' in response.content.decode()


def test_an_association_without_a_position_is_listed_not_drawn(client, municipality, make_offer):
    nowhere = f.AssociationFactory(
        municipalities=[municipality], name="Ukendt", postal_code="9990", latitude=None
    )
    assert nowhere.latitude is None  # no known position in 9990
    make_offer(association=nowhere, title="Et sted")
    response = client.get(URL)
    assert "Et sted" in listed(response)
    assert not [m for m in map_data(response)["markers"] if m["name"] == "Ukendt"]
    assert "ikke på kortet (ingen placering)" in response.content.decode()


def test_areas_are_shown_to_whom_they_belong(
    client, municipality, other_municipality, consultant, other_consultant, teacher
):
    area(municipality, "Offentligt område", public=True)
    area(municipality, "Udsat boligområde")
    area(other_municipality, "Andet område", public=True)

    def names(response):
        return {a["properties"]["name"] for a in map_data(response)["areas"]}

    mine = {"municipality": municipality.slug}
    assert names(client.get(URL, mine)) == {"Offentligt område"}
    assert names(client.get(URL, {"municipality": other_municipality.slug})) == {"Andet område"}
    client.force_login(teacher)
    assert names(client.get(URL, mine)) == {"Offentligt område"}
    client.force_login(other_consultant)
    response = client.get(URL, {"municipality": municipality.slug})
    assert names(response) == {"Offentligt område"}
    assert response.context["area_form"] is None
    client.force_login(consultant)
    response = client.get(URL, {"municipality": municipality.slug})
    assert names(response) == {"Offentligt område", "Udsat boligområde"}
    assert response.context["area_form"] is not None


def test_the_map_draws_an_areas_outline_not_its_every_point(client, municipality):
    """A surveyed boundary's points 1 cm apart along the harbour's southern edge: the map
    draws the edge as the line it is; what lies inside is decided on every point."""
    south = [[round(12.60 + i * 2e-7, 7), 56.03] for i in range(1, 1000)]
    ring = [HARBOUR[0], *south, *HARBOUR[1:]]
    boundary = MapArea.objects.create(
        municipality=municipality,
        name="Havnen",
        geometry={"type": "MultiPolygon", "coordinates": [[ring]]},
        is_public=True,
    )
    (drawn,) = map_data(client.get(URL, {"municipality": municipality.slug}))["areas"]
    assert drawn["geometry"] == {"type": "MultiPolygon", "coordinates": [[HARBOUR]]}
    assert boundary.outline == drawn["geometry"] and boundary.vertices == 1004


def test_the_consultant_keeps_what_is_in_or_near_an_area(client, municipality, consultant):
    inside = f.AssociationFactory(municipalities=[municipality], latitude=56.035, longitude=12.61)
    near = f.AssociationFactory(municipalities=[municipality], latitude=56.045, longitude=12.61)
    away = f.AssociationFactory(municipalities=[municipality], latitude=56.10, longitude=12.40)
    for a, title in ((inside, "Inde"), (near, "Nær"), (away, "Langt væk")):
        f.OfferFactory(association=a, title=title, published=True)
    f.SchoolFactory(municipality=municipality, name="Havneskolen", latitude=56.032, longitude=12.61)
    f.SchoolFactory(municipality=municipality, name="Landskolen", latitude=56.10, longitude=12.40)
    harbour = area(municipality)
    client.force_login(consultant)
    response = client.get(URL, {"area": harbour.pk})
    assert listed(response) == {"Inde"}
    assert [s.name for s in response.context["content"].schools] == ["Havneskolen"]
    # About 0.55 km north of the area's edge.
    assert listed(client.get(URL, {"area": harbour.pk, "near": "1"})) == {"Inde", "Nær"}
    assert listed(client.get(URL, {"area": harbour.pk, "near": "0.3"})) == {"Inde"}
    assert listed(client.get(URL)) == {"Inde", "Nær", "Langt væk"}


@pytest.mark.parametrize(
    "params",
    [
        {"area": "x"},
        {"area": "99999999999999999999"},
        {"area": "-1"},
        {"area": "1\x00"},
        {"near": "-5"},
        {"near": "1e309"},
        {"near": "NaN"},
        {"near": "500"},
        {"area": "", "near": "2"},
        {"grade": "99", "domain": "cooking", "distance": "x"},
    ],
)
def test_hostile_map_input_never_fails(client, municipality, consultant, params):
    # A code of its own: the factory's codes wrap at 899 and may name the fixture's (217).
    other = area(f.MunicipalityFactory(code="998"), "Fremmed")
    client.force_login(consultant)
    response = client.get(URL, params)
    assert response.status_code in (200, 400)
    # Another municipality's area is never a choice.
    response = client.get(URL, {"area": other.pk})
    assert response.status_code == 200
    assert response.context["chosen_area"] is None
    assert "Fremmed" not in response.content.decode()


def test_user_text_is_escaped_in_the_embedded_data(client, municipality, make_offer):
    club = f.AssociationFactory(
        municipalities=[municipality], name="</script><script>alert(1)</script>"
    )
    make_offer(association=club, title="<img src=x onerror=alert(1)>")
    html = client.get(URL).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


def test_a_consultant_opens_the_map_of_their_own_municipality(
    client, municipality, other_municipality, other_consultant
):
    """Not the busiest municipality's (a helper's walk: the other consultant got Helsingør's
    map, without their areas)."""
    busy = f.AssociationFactory(municipalities=[municipality])
    f.OfferFactory(association=busy, published=True)
    theirs = area(other_municipality, "Deres område")
    client.force_login(other_consultant)
    response = client.get(URL)
    assert response.context["municipality"] == other_municipality
    assert [a["properties"]["name"] for a in map_data(response)["areas"]] == [theirs.name]


def test_the_map_is_only_read(client):
    assert client.post(URL).status_code == 405


def test_map_queries_do_not_grow(client, municipality, consultant, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            a = f.AssociationFactory(municipalities=[municipality], latitude=56.03, longitude=12.6)
            f.OfferFactory(
                association=a,
                published=True,
                location="elsewhere",
                location_address="Skoven 1",
                location_latitude=56.0,
                location_longitude=12.5,
            )
            f.SchoolFactory(municipality=municipality)
        area(municipality, f"Område {MapArea.objects.count()}")

    def count(params):
        cache.clear()
        with django_assert_max_num_queries(25) as ctx:
            assert client.get(URL, params).status_code == 200
        return len(ctx.captured_queries)

    for params in ({}, {"grade": "5", "domain": "sport", "q": "tilbud"}):
        add(2)
        few = count(params)
        add(20)
        assert count(params) == few
    client.force_login(consultant)
    harbour = MapArea.objects.first()
    few = count({"area": harbour.pk, "near": "2"})
    add(10)
    assert count({"area": harbour.pk, "near": "2"}) == few


def test_too_many_offers_are_cut_with_a_notice(client, municipality, make_offer, monkeypatch):
    monkeypatch.setattr(maps, "MAP_LIMIT", 2)
    for _ in range(3):
        make_offer()
    response = client.get(URL)
    assert response.context["content"].too_many
    assert len(listed(response)) == 2
    assert "Kun de første 2 tilbud vises" in response.content.decode()


def test_the_vendored_leaflet_matches_package_json():
    """static/vendor/leaflet is copied from node_modules by ``make vendor`` and committed, so a
    fresh clone serves it without npm; it must be the versions package.json pins."""
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]
    vendored = json.loads((ROOT / "static/vendor/leaflet/VERSIONS.json").read_text())
    assert vendored == {k: pinned[k] for k in ("leaflet", "leaflet.markercluster")}
    leaflet = (ROOT / "static/vendor/leaflet/leaflet.js").read_text()
    assert f'version="{pinned["leaflet"]}"' in leaflet.replace(" ", "")[:4000] or (
        pinned["leaflet"] in leaflet[:400]
    )
    assert "sourceMappingURL" not in leaflet


def test_the_tile_server_is_allowed_by_the_csp(client, settings):
    from portal.settings.base import _tile_origin

    assert _tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert _tile_origin("https://{s}.tile.example.dk/{z}/{x}/{y}.png") == [
        "https://*.tile.example.dk"
    ]
    assert _tile_origin("") == []
