"""The page cache serves anonymous pages and is invalidated exactly when their data changes."""

import pytest
from django.core.cache import cache

from screening import services as screening
from screening.workflow import Transition
from tests import factories as f


@pytest.fixture
def page_cache(settings):
    settings.PAGECACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)  # a change counts when it commits
def test_anonymous_offer_page_is_cached_until_a_booking_changes_free_places(
    client, page_cache, django_capture_on_commit_callbacks
):
    occasion = f.OccasionFactory(capacity=3)
    url = occasion.offer.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        occasion.reserved = 3
        occasion.save()
    third = client.get(url)
    assert third["X-Page-Cache"] == "miss"
    assert third.content != first.content


@pytest.mark.django_db(transaction=True)  # a change counts when it commits
def test_suspension_takes_an_offer_off_the_cached_catalog(
    client, page_cache, consultant, django_capture_on_commit_callbacks, municipality
):
    offer = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[municipality]), published=True
    )
    assert offer.title in client.get("/offers/").content.decode()
    assert client.get("/offers/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        screening.transition(offer, Transition.SUSPEND, by=consultant, message="Pause")
    response = client.get("/offers/")
    assert response["X-Page-Cache"] == "miss"
    assert offer.title not in response.content.decode()


@pytest.mark.django_db(transaction=True)  # a change counts when it commits
def test_logged_in_visitors_always_get_a_fresh_page(client, page_cache, teacher, published_offer):
    client.force_login(teacher)
    url = published_offer.get_absolute_url()
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.django_db(transaction=True)  # a change counts when it commits
def test_pages_depend_on_language_and_chosen_municipality(
    client, page_cache, municipality, other_municipality
):
    mine = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[municipality]), published=True
    )
    theirs = f.OfferFactory(
        association=f.AssociationFactory(municipalities=[other_municipality]), published=True
    )
    here = client.get("/offers/", {"municipality": municipality.slug})
    assert mine.title in here.content.decode()
    there = client.get("/offers/", {"municipality": other_municipality.slug})
    assert theirs.title in there.content.decode() and mine.title not in there.content.decode()
    # The remembered choice is set again on a cache hit (the cookie is part of the key).
    client.get("/offers/", {"municipality": other_municipality.slug})
    again = client.get("/offers/", {"municipality": other_municipality.slug})
    assert again["X-Page-Cache"] == "hit"
    assert again.cookies["aaben_skole_kommune"].value == other_municipality.slug
    client.get("/language/en/")
    english = client.get("/offers/", {"municipality": other_municipality.slug})
    assert english["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()
