"""The number of SQL queries per page does not grow with the data (5 vs 60 offers).

Each page is rendered uncached (the page cache is cleared before every request), first
with a small data set, then after adding more offers, occasions and bookings.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.models import Booking
from bookings.states import BookingState
from tests import factories as f

B = BookingState


def add_data(*, municipality, association, school, teacher, n):
    """n published offers (half with dates), occasions and bookings for ``school``."""
    for i in range(n):
        offer = f.OfferFactory(
            association=association,
            published=True,
            on_request=i % 2 == 0,
            title=f"Svømning {i}",
            summary="Svømning for skoler",
            grade_min=3,
            grade_max=7,
        )
        occasion = None
        if not offer.on_request:
            occasion = f.OccasionFactory(offer=offer, capacity=3)
            f.OccasionFactory(offer=offer, starts_at=timezone.now() + timedelta(days=40))
        for k, state in enumerate([B.REQUESTED, B.CONFIRMED, B.COMPLETED, B.CANCELLED]):
            start = timezone.now() + timedelta(days=(-30 if state == B.COMPLETED else 20 + k))
            Booking.objects.create(
                offer=offer,
                occasion=occasion if state == B.CONFIRMED else None,
                school=school,
                requested_by=teacher,
                contact_teacher=teacher,
                state=state,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                answer_deadline=start - timedelta(days=1),
                classes="5.A",
                grade=5,
                pupils=24,
            )
    other = f.AssociationFactory(municipalities=[municipality])
    for _ in range(max(n // 5, 1)):
        f.OfferFactory(association=other, published=True)


@pytest.fixture
def world(municipality, association, school, teacher):
    association.municipalities.add(municipality)
    add_data(
        municipality=municipality, association=association, school=school, teacher=teacher, n=5
    )
    return {"municipality": municipality, "association": association, "school": school}


def grow(world, teacher, n=55):
    add_data(
        municipality=world["municipality"],
        association=world["association"],
        school=world["school"],
        teacher=teacher,
        n=n,
    )


def count(client, url) -> int:
    client.get(url)  # once first: one-time work (first visit, session) is not the page's cost
    cache.clear()  # always the uncached render: the worst case
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def pages(world):
    m = world["municipality"].slug
    offer = world["association"].offers.filter(on_request=False).order_by("pk").first()
    # The month and week of the dates add_data makes (30 and 40 days ahead).
    soon = timezone.localdate() + timedelta(days=30)
    month, week = f"{soon:%Y-%m}", soon.isoformat()
    return {
        "catalog": f"/offers/?municipality={m}",
        "catalog, filters + search": f"/offers/?municipality={m}&domain=sport&grade=5&q=sv%C3%B8mning",
        "offer": f"/offers/{offer.slug}/",
        "association": f"/associations/{world['association'].slug}/",
        "embed": f"/embed/offers/?municipality={m}",
        "calendar": f"/offers/calendar/?municipality={m}&month={month}",
        "calendar, week + filters": f"/offers/calendar/?municipality={m}&week_of={week}"
        "&domain=sport&grade=5&q=sv%C3%B8mning",
    }


def test_public_pages_have_constant_queries(client, world, teacher):
    small = {name: count(client, url) for name, url in pages(world).items()}
    grow(world, teacher)
    large = {name: count(client, url) for name, url in pages(world).items()}
    assert large == small


def test_logged_in_pages_have_constant_queries(client, world, teacher):
    client.force_login(teacher)
    urls = {**pages(world), "my school": "/school/"}
    small = {name: count(client, url) for name, url in urls.items()}
    grow(world, teacher)
    large = {name: count(client, url) for name, url in urls.items()}
    assert large == small


def test_the_data_really_grew(world, teacher):
    """Guard for the tests above: the large set has twelve times the offers and bookings."""
    before = Booking.objects.count()
    grow(world, teacher)
    assert Booking.objects.count() == 12 * before
    assert world["association"].offers.count() == 60
