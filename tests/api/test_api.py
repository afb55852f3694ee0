from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from api.serializers import OfferSerializer
from associations.models import Offer, Subject
from screening.workflow import ScreeningState
from tests import factories as f

pytestmark = pytest.mark.django_db


def results(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def offers_url(municipality):
    return f"/api/municipalities/{municipality.slug}/offers/"


def slugs(payload):
    return [row["slug"] for row in payload["results"]]


def test_index_links_to_the_resources(client):
    data = results(client, "/api/")
    assert data["municipalities"].endswith("/api/municipalities/")
    assert data["schema"].endswith("/api/schema/")
    assert data["docs"].endswith("/api/docs/")


def test_municipalities_are_listed(client, municipality, other_municipality):
    data = results(client, "/api/municipalities/")
    assert [m["slug"] for m in data["results"]] == ["fredensborg", "helsingor"]


def test_only_published_offers_of_the_municipality(
    client, municipality, other_municipality, association, published_offer
):
    f.OfferFactory(association=association)  # a draft
    f.OfferFactory(association=association, published=True, is_paused=True)
    f.OfferFactory(
        association=association,
        published=True,
        certificates_valid_until=timezone.localdate() - timedelta(days=1),
    )
    elsewhere = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[other_municipality]), published=True
    )
    pending_association = f.AssociationFactory(
        municipalities=[municipality], state=ScreeningState.SUBMITTED
    )
    f.OfferFactory(association=pending_association, published=True)

    assert slugs(results(client, offers_url(municipality))) == [published_offer.slug]
    assert slugs(results(client, offers_url(other_municipality))) == [elsewhere.slug]


def test_unknown_municipality_is_404(client, db):
    response = client.get("/api/municipalities/nowhere/offers/")
    assert response.status_code == 404
    # In the answer's language, like the API's other messages.
    assert response.json()["detail"] == "Ingen kommune med dette navn."
    english = client.get("/api/municipalities/nowhere/offers/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "No municipality with this name."


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"domain": "music"}, ["music"]),
        ({"grade": 9}, ["music"]),
        ({"format": "course"}, ["music"]),
        ({"where": "out"}, ["music"]),
        ({"where": "school"}, ["sport"]),
        ({"free": "true"}, ["sport"]),
        ({"max_price": 100}, ["sport"]),
        ({"max_price": 500}, ["music", "sport"]),
        ({"week": 2}, ["sport"]),
        ({"week": 40}, ["music", "sport"]),
        ({"weekday": 5}, ["music"]),
        ({"subject": "musik"}, ["music"]),
        ({"q": "trommer"}, ["music"]),
        ({}, ["music", "sport"]),
    ],
)
def test_offer_filters_match_the_catalog_names(client, municipality, association, params, expected):
    musik, _ = Subject.objects.get_or_create(slug="musik", defaults={"name": "Musik"})
    sport = f.OfferFactory(
        association=association,
        published=True,
        title="B sport",
        domain="sport",
        grade_min=0,
        grade_max=3,
        format="visit",
        location="school",
        season_start_week=33,
        season_end_week=26,  # wraps over New Year
        weekdays="123",
    )
    music = f.OfferFactory(
        association=association,
        published=True,
        title="A music",
        domain="music",
        description="Vi spiller på trommer.",
        grade_min=7,
        grade_max=9,
        format="course",
        location="association",
        price_model="per_class",
        price_amount=Decimal("400"),
        season_start_week=35,
        season_end_week=45,
        weekdays="45",
    )
    music.subjects.add(musik)
    by_domain = {sport.slug: "sport", music.slug: "music"}
    assert [by_domain[s] for s in slugs(results(client, offers_url(municipality), **params))] == (
        expected
    )


def test_offer_list_shows_what_the_serializer_would(client, municipality, association):
    """The list builds each offer from a ``.values()`` row (api.serializers.offer_data):
    every field, its order and its type as OfferSerializer shows them."""
    dansk, _ = Subject.objects.get_or_create(slug="dansk", defaults={"name": "Dansk"})
    musik, _ = Subject.objects.get_or_create(slug="musik", defaults={"name": "Musik"})
    full = f.OfferFactory(
        association=association,
        published=True,
        title="A with every field",
        domain="music",
        grade_min=3,
        grade_max=7,
        format="course",
        location="elsewhere",
        location_postal_code="3000",
        duration_minutes=75,
        pupils_min=5,
        pupils_max=28,
        sessions_per_week=3,
        season_start_week=40,
        season_end_week=12,
        weekdays="135",
        on_request=False,
        price_model="hourly",
        price_amount=Decimal("612.5"),
        learning_goals="Rytme og samspil.",
        faelles_maal_url="https://emu.dk/musik",
        what_to_bring="Indesko",
        accessibility="Trinfri adgang",
        weather="Indendørs",
        transport="Bus 340 til døren",
    )
    full.subjects.add(musik, dansk)
    bare = f.OfferFactory(
        association=association, published=True, title="B bare", duration_minutes=None
    )
    response = client.get(offers_url(municipality), {"sort": "newest"})

    offers = Offer.objects.filter(pk__in=[bare.pk, full.pk]).order_by("-approved_at")
    serialized = OfferSerializer(offers, many=True).data
    expected = {"count": 2, "next": None, "previous": None, "results": serialized}
    assert response.content == JSONRenderer().render(expected)  # the same bytes
    by_slug = {row["slug"]: row for row in response.json()["results"]}
    assert by_slug[full.slug]["subjects"] == ["dansk", "musik"]
    assert by_slug[full.slug]["price_amount"] == "612.50"
    assert by_slug[bare.slug]["subjects"] == []
    assert by_slug[bare.slug]["price_amount"] is None
    assert by_slug[bare.slug]["duration_minutes"] is None


def test_invalid_filter_value_is_400(client, municipality):
    response = client.get(offers_url(municipality), {"grade": "nine"})
    assert response.status_code == 400
    assert "grade" in response.json()


def test_pagination(client, municipality, association):
    for _ in range(3):
        f.OfferFactory(association=association, published=True)
    data = results(client, offers_url(municipality), page_size=2)
    assert data["count"] == 3
    assert len(data["results"]) == 2
    assert data["next"]
    assert len(results(client, offers_url(municipality), page_size=2, page=2)["results"]) == 1
    assert client.get(offers_url(municipality), {"page": 3, "page_size": 2}).status_code == 404
    for page in ("", "0", "-1", "two", "last", "²"):  # the schema: a whole number from 1
        for name in ("page", "page_size"):
            response = client.get(offers_url(municipality), {name: page})
            assert response.status_code == 400, (name, page)
            assert name in response.json()


def test_count_is_of_all_pages_also_with_a_filter_that_joins(client, municipality, association):
    """The page's query counts all rows (a window); a filter through the subjects, whose
    join could repeat an offer, is counted apart (DISTINCT)."""
    dansk, _ = Subject.objects.get_or_create(slug="dansk", defaults={"name": "Dansk"})
    musik, _ = Subject.objects.get_or_create(slug="musik", defaults={"name": "Musik"})
    for _ in range(5):
        f.OfferFactory(association=association, published=True).subjects.add(dansk, musik)
    f.OfferFactory(association=association, published=True)
    url = offers_url(municipality)
    first = results(client, url, page_size=2)
    assert (first["count"], len(first["results"]), first["previous"]) == (6, 2, None)
    assert "page=2" in first["next"]
    assert results(client, url, page_size=2, page=3)["count"] == 6
    assert "paginator_total" not in first["results"][0]
    both = results(client, url, subject=["dansk", "musik"], page_size=2)
    assert (both["count"], len(both["results"])) == (5, 2)
    assert results(client, url, q="nothing like it") == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_associations_are_published_ones_of_the_municipality(
    client, municipality, other_municipality, association
):
    f.AssociationFactory(municipalities=[municipality], state=ScreeningState.SUBMITTED)
    f.AssociationFactory(municipalities=[other_municipality])
    music = f.AssociationFactory(municipalities=[municipality], domains=["music"])
    url = f"/api/municipalities/{municipality.slug}/associations/"
    assert sorted(slugs(results(client, url))) == sorted([association.slug, music.slug])
    assert slugs(results(client, url, domain="music")) == [music.slug]


def test_occasions_are_upcoming_fixed_dates_of_published_offers(client, municipality, association):
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    soon = f.OccasionFactory(offer=offer, starts_at=timezone.now() + timedelta(days=3))
    later = f.OccasionFactory(offer=offer, starts_at=timezone.now() + timedelta(days=9))
    f.OccasionFactory(offer=offer, starts_at=timezone.now() - timedelta(days=3))
    f.OccasionFactory(offer=offer, is_cancelled=True)
    f.OccasionFactory(offer=f.OfferFactory(association=association, on_request=False))
    url = f"/api/municipalities/{municipality.slug}/occasions/"
    data = results(client, url)
    assert [o["id"] for o in data["results"]] == [soon.id, later.id]
    assert data["results"][0]["offer"]["slug"] == offer.slug
    assert results(client, url, domain="music")["count"] == 0
    assert results(client, url, domain="sport")["count"] == 2


def test_open_to_other_sites_and_sets_no_cookies(client, municipality):
    for url in ["/api/", "/api/schema/", "/api/municipalities/", offers_url(municipality)]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not response.cookies


def test_api_is_read_only(client, municipality):
    response = client.post(offers_url(municipality), {}, content_type="application/json")
    assert response.status_code == 405


def test_api_is_rate_limited(client, municipality, settings, steady_clock):
    settings.API_RATE = "3/min"
    responses = [client.get(offers_url(municipality)) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 0 < int(responses[-1]["Retry-After"]) <= 60
    # Another client address has its own count.
    other = client.get(offers_url(municipality), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_schema_and_docs_page(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/municipalities/{slug}/offers/" in schema.json()["paths"]

    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<script>" not in html  # no inline script: the strict CSP forbids it
    assert "api/swagger-ui/swagger-ui-bundle.js" in html
    assert "api/docs.js" in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/municipalities/{slug}/occasions/" in out.read_text()
