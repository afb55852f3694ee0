"""Cached anonymous pages: served from the cache, and fresh right after a change.

The page cache is on here (the test settings turn it off for every other test). A booking,
a suspension and an approval bump the cache generation when they commit, so the very next
request renders the new free places / offer list.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from bookings import services as booking_services
from screening import services as screening_services
from screening.workflow import ScreeningState
from tests import factories as f

# Real commits: a change counts for the caches when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGECACHE_ENABLED = True


@pytest.fixture
def anon(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, response.content.decode()


def test_second_request_is_a_hit_and_identical(anon, published_offer):
    first, body1 = get(anon, f"/offers/{published_offer.slug}/")
    second, body2 = get(anon, f"/offers/{published_offer.slug}/")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert body1 == body2


def test_a_booking_shows_the_new_free_places_at_once(
    anon, association, school, teacher, django_capture_on_commit_callbacks
):
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    occasion = f.OccasionFactory(offer=offer, capacity=2)
    url = f"/offers/{offer.slug}/"
    _r, before = get(anon, url)
    assert "2 free places" in before
    assert get(anon, url)[0]["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        booking_services.request_booking(
            user=teacher,
            school=school,
            offer=offer,
            occasion=occasion,
            classes="5.A",
            class_count=1,
            grade=5,
            pupils=22,
            contact_teacher=teacher,
        )
    response, after = get(anon, url)
    assert response["X-Page-Cache"] == "miss"
    assert "1 free place" in after
    assert "2 free places" not in after


@pytest.mark.parametrize("page", ["/offers/", "/offers/calendar/"])
def test_a_booking_shows_the_new_free_places_on_the_cached_catalog(
    page, anon, municipality, association, school, teacher, django_capture_on_commit_callbacks
):
    """A card (and the calendar) shows the next date's free places: a booking's change of
    places bumps the catalogs of the offer's municipalities, not only the offer's page."""
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    start = timezone.localtime() + timedelta(days=1)
    occasion = f.OccasionFactory(offer=offer, capacity=2, starts_at=start)
    url = f"{page}?municipality={municipality.slug}&month={start:%Y-%m}"
    get(anon, url)  # the first answer sets the municipality cookie, which is in the key
    assert "2 free places" in get(anon, url)[1]
    assert get(anon, url)[0]["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.request_booking(
            user=teacher,
            school=school,
            offer=offer,
            occasion=occasion,
            classes="5.A",
            class_count=1,
            grade=5,
            pupils=22,
            contact_teacher=teacher,
        )
    response, after = get(anon, url)
    assert response["X-Page-Cache"] == "miss"
    assert "1 free place" in after and "2 free places" not in after


def test_a_new_date_shows_on_the_cached_catalog(
    anon, municipality, association, django_capture_on_commit_callbacks
):
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    url = f"/offers/?municipality={municipality.slug}"
    get(anon, url)
    assert "No upcoming dates." in get(anon, url)[1]
    with django_capture_on_commit_callbacks(execute=True):
        f.OccasionFactory(offer=offer, capacity=3)
    response, body = get(anon, url)
    assert response["X-Page-Cache"] == "miss"
    assert "3 free places" in body


def test_the_calendar_feed_is_cached_until_a_date_changes(anon, municipality, association):
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    first = f.OccasionFactory(offer=offer, place="Idrætsparken")
    url = f"/offers/calendar/{municipality.slug}.ics"
    response, body = get(anon, url)
    assert response["X-Page-Cache"] == "miss" and f"occasion-{first.pk}@" in body
    assert get(anon, url)[0]["X-Page-Cache"] == "hit"
    second = f.OccasionFactory(offer=offer)
    response, body = get(anon, url)
    assert response["X-Page-Cache"] == "miss" and f"occasion-{second.pk}@" in body
    first.is_cancelled = True
    first.save()
    response, body = get(anon, url)
    assert f"occasion-{first.pk}@" not in body and f"occasion-{second.pk}@" in body
    assert "public" in response["Cache-Control"]


def test_a_suspension_removes_the_offer_from_the_cached_catalog(
    anon, municipality, published_offer, consultant, django_capture_on_commit_callbacks
):
    url = f"/offers/?municipality={municipality.slug}"
    get(anon, url)  # the first answer sets the municipality cookie, which is in the key
    assert published_offer.title in get(anon, url)[1]
    assert get(anon, url)[0]["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        screening_services.decide(published_offer, "suspend", by=consultant, message="Pause")
    response, body = get(anon, url)
    assert response["X-Page-Cache"] == "miss"
    assert published_offer.title not in body


def test_an_approval_adds_the_offer_to_the_cached_catalog(
    anon, municipality, association, consultant, django_capture_on_commit_callbacks
):
    offer = f.OfferFactory(
        association=association,
        state=ScreeningState.IN_REVIEW,
        certificates_valid_until=timezone.localdate() + timedelta(days=300),
    )
    f.InstructorFactory(association=association)
    offer.instructors.add(*association.instructors.all())
    url = f"/offers/?municipality={municipality.slug}"
    get(anon, url)  # the first answer sets the municipality cookie, which is in the key
    assert offer.title not in get(anon, url)[1]
    assert get(anon, url)[0]["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        screening_services.decide(offer, "approve", by=consultant)
    offer.refresh_from_db()
    assert offer.state == ScreeningState.APPROVED
    assert offer.title in get(anon, url)[1]


def test_the_chosen_municipality_is_part_of_the_key(
    client, municipality, other_municipality, published_offer
):
    """A visitor whose cookie names another municipality never gets the first one's page."""
    from catalog.services import COOKIE_NAME

    other = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[other_municipality]), published=True
    )
    client.cookies[COOKIE_NAME] = municipality.slug
    assert published_offer.title in get(client, "/offers/")[1]
    client.cookies[COOKIE_NAME] = other_municipality.slug
    response, body = get(client, "/offers/")
    assert response["X-Page-Cache"] == "miss"
    assert other.title in body
    assert published_offer.title not in body


def test_the_municipality_cookie_is_replayed_from_the_cache(client, municipality, published_offer):
    from catalog.services import COOKIE_NAME

    url = f"/offers/?municipality={municipality.slug}"
    get(client, url)
    client.cookies.clear()
    response, _body = get(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert response.cookies[COOKIE_NAME].value == municipality.slug
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_logged_in_users_always_get_a_fresh_page(client, teacher, published_offer):
    client.force_login(teacher)
    url = f"/offers/{published_offer.slug}/"
    get(client, url)
    response, _body = get(client, url)
    assert "X-Page-Cache" not in response


def test_the_process_local_copy_is_dropped_when_this_process_bumps(
    anon, settings, association, school, teacher, django_capture_on_commit_callbacks
):
    """With the per-process layer on (production), a change made here is seen here at once."""
    from django.core.cache import caches

    settings.PAGECACHE_LOCAL_SECONDS = 60
    caches["local"].clear()
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    occasion = f.OccasionFactory(offer=offer, capacity=2)
    url = f"/offers/{offer.slug}/"
    assert "2 free places" in get(anon, url)[1]
    response, _body = get(anon, url)
    assert response["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.request_booking(
            user=teacher,
            school=school,
            offer=offer,
            occasion=occasion,
            classes="5.A",
            class_count=1,
            grade=5,
            pupils=22,
            contact_teacher=teacher,
        )
    assert "1 free place" in get(anon, url)[1]
    caches["local"].clear()


def test_an_embed_page_from_the_cache_keeps_its_framing_policy(client, municipality):
    """The municipality's allowed origins may frame the embed, on hits as on misses."""
    municipality.embed_allowed_origins = "https://intra.skole.example"
    municipality.save()
    url = f"/embed/offers/?municipality={municipality.slug}"
    client.get(url)  # the first answer sets the municipality cookie, which is in the key
    miss = client.get(url)
    hit = client.get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    policy = hit["Content-Security-Policy"]
    assert "frame-ancestors https://intra.skole.example" in policy
    assert policy == miss["Content-Security-Policy"]


@pytest.mark.urls("tests.performance.urls_csrf")
def test_a_page_with_a_csrf_token_is_never_stored(client):
    client.get("/plain/")
    assert client.get("/plain/")["X-Page-Cache"] == "hit"
    client.get("/form/")
    second = client.get("/form/")
    assert second["X-Page-Cache"] == "skip"


# --- Invalidation scoped to what changed ---------------------------------------------------


@pytest.fixture
def two_municipalities(municipality, other_municipality, association):
    """An offer with a date in each municipality, and each one's catalog and offer page."""
    here = f.OfferFactory(association=association, published=True, on_request=False)
    there_association = f.AssociationFactory(municipalities=[other_municipality])
    there = f.OfferFactory(association=there_association, published=True, on_request=False)
    f.OccasionFactory(offer=here, capacity=2)
    f.OccasionFactory(offer=there, capacity=2)
    return {
        "here": here,
        "there": there,
        "catalog here": f"/offers/?municipality={municipality.slug}",
        "catalog there": f"/offers/?municipality={other_municipality.slug}",
        "offer here": f"/offers/{here.slug}/",
        "offer there": f"/offers/{there.slug}/",
        "association there": f"/associations/{there_association.slug}/",
        "embed there": f"/embed/offers/?municipality={other_municipality.slug}",
    }


def fetch(url):
    """A visitor who comes by this URL (no cookie from earlier pages)."""
    from django.test import Client

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return get(client, url)


def urls(pages) -> list[str]:
    return [value for value in pages.values() if isinstance(value, str)]


def warm(_client, pages) -> None:
    for url in pages:
        fetch(url)
        assert fetch(url)[0]["X-Page-Cache"] == "hit", url


def cached(_client, url) -> str:
    return fetch(url)[0]["X-Page-Cache"]


def test_a_booking_in_one_municipality_leaves_the_others_pages_cached(
    anon, two_municipalities, school, teacher
):
    pages = two_municipalities
    warm(anon, urls(pages))
    booking_services.request_booking(
        user=teacher,
        school=school,
        offer=pages["here"],
        occasion=pages["here"].occasions.get(),
        classes="5.A",
        class_count=1,
        grade=5,
        pupils=22,
        contact_teacher=teacher,
    )
    response, body = fetch(pages["offer here"])
    assert response["X-Page-Cache"] == "miss" and "1 free place" in body
    for name in ("catalog there", "offer there", "association there", "embed there"):
        assert cached(anon, pages[name]) == "hit", name
    # Its own municipality's catalog shows the next date's free places on the card.
    response, body = fetch(pages["catalog here"])
    assert response["X-Page-Cache"] == "miss" and "1 free place" in body


def test_an_offer_change_leaves_other_municipalities_pages_cached(anon, two_municipalities):
    pages = two_municipalities
    warm(anon, urls(pages))
    offer = pages["here"]
    offer.title = "Kajak på Øresund"
    offer.save()
    response, body = fetch(pages["catalog here"])
    assert response["X-Page-Cache"] == "miss" and "Kajak på Øresund" in body
    assert cached(anon, pages["offer here"]) == "miss"
    for name in ("catalog there", "offer there", "association there", "embed there"):
        assert cached(anon, pages[name]) == "hit", name


def test_an_association_leaving_a_municipality_leaves_its_catalog_at_once(
    anon, two_municipalities, municipality, association
):
    pages = two_municipalities
    warm(anon, [pages["catalog here"], pages["catalog there"]])
    association.municipalities.remove(municipality)
    response, body = fetch(pages["catalog here"])
    assert response["X-Page-Cache"] == "miss" and pages["here"].title not in body
    assert cached(anon, pages["catalog there"]) == "hit"
    association.municipalities.add(municipality)
    assert pages["here"].title in fetch(pages["catalog here"])[1]


def test_a_municipality_change_reaches_every_page(anon, two_municipalities, municipality):
    pages = two_municipalities
    warm(anon, urls(pages))
    municipality.name = "Helsingør"
    municipality.save()
    for url in urls(pages):
        assert cached(anon, url) == "miss", url


def test_the_release_is_in_the_key(anon, published_offer, settings):
    from portal import pagecache

    url = f"/offers/{published_offer.slug}/"
    warm(anon, [url])
    settings.RELEASE = "next-deploy"
    pagecache.release.cache_clear()
    try:
        assert cached(anon, url) == "miss"
        assert cached(anon, url) == "hit"
    finally:
        pagecache.release.cache_clear()


def test_an_unknown_municipality_in_the_url_is_never_stored(anon, municipality, published_offer):
    """The page shows another municipality than its URL names: nothing would invalidate it."""
    url = "/offers/?municipality=no-such-place"
    assert published_offer.title in get(anon, url)[1]
    assert cached(anon, url) == "skip"
