"""The booking page's offer comes from a cache: every change that unpublishes an offer or
moves it out of the school's municipality must still turn the page away at once."""

import warnings
from datetime import timedelta

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.urls import reverse
from django.utils import timezone

from associations.services import refresh_certificate_validity
from bookings import services
from screening.workflow import ScreeningState
from tests import factories as f

# Real commits: a change counts for the caches when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def offer(association):
    return f.OfferFactory(association=association, published=True, on_request=True)


def page(client, offer):
    return client.get(reverse("bookings:book_offer", args=[offer.slug]))


def test_the_lookup_is_cached_and_checks_the_municipality(
    offer, municipality, other_municipality, django_assert_num_queries
):
    assert services.bookable_offer(offer.slug, {municipality.pk}) == offer
    with django_assert_num_queries(0):
        found = services.bookable_offer(offer.slug, {municipality.pk})
        assert found == offer and found.association == offer.association
        assert services.bookable_offer(offer.slug, {other_municipality.pk}) is None
    assert services.bookable_offer("no-such-offer", {municipality.pk}) is None


def test_a_slug_longer_than_any_offer_s_is_not_looked_up(client, municipality, teacher):
    """The URL takes any length; the cache key must stay within what caches accept."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert services.bookable_offer("a" * 300, {municipality.pk}) is None
        client.force_login(teacher)
        assert client.get(reverse("bookings:book_offer", args=["a" * 300])).status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda o: setattr(o, "is_paused", True) or o.save(), id="paused"),
        pytest.param(
            lambda o: setattr(o, "state", ScreeningState.SUSPENDED) or o.save(), id="suspended"
        ),
        pytest.param(
            lambda o: (
                setattr(o.association, "state", ScreeningState.SUSPENDED) or o.association.save()
            ),
            id="association suspended",
        ),
    ],
)
def test_a_cached_offer_that_is_unpublished_cannot_be_booked(client, teacher, offer, change):
    client.force_login(teacher)
    assert page(client, offer).status_code == 200
    change(offer)
    assert page(client, offer).status_code == 404


def test_an_expired_certificate_unpublishes_the_cached_offer(client, teacher, offer):
    """refresh_certificate_validity writes with update(): it must bump the counter itself."""
    client.force_login(teacher)
    assert page(client, offer).status_code == 200
    long_ago = timezone.localdate() - timedelta(days=5 * 365)
    offer.instructors.update(child_certificate_date=long_ago)
    assert refresh_certificate_validity(offer) < timezone.localdate()
    assert page(client, offer).status_code == 404


def test_an_association_leaving_the_municipality_takes_its_cached_offer_along(
    client, teacher, offer, municipality, other_municipality
):
    client.force_login(teacher)
    assert page(client, offer).status_code == 200
    offer.association.municipalities.set([other_municipality])
    assert page(client, offer).status_code == 404
    offer.association.municipalities.add(municipality)
    assert page(client, offer).status_code == 200
