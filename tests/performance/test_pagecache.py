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
    from portal import pagecache

    settings.PAGECACHE_LOCAL_SECONDS = 60
    pagecache.forget_local()
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
    pagecache.forget_local()


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
