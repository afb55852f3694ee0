from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Occasion, WaitingListEntry
from bookings.states import BookingError, BookingState
from notifications.models import Notification
from tests import factories as f

from .conftest import school_day

W = WaitingListEntry.State


@pytest.fixture
def draw_occasion(published_offer):
    published_offer.on_request = False
    published_offer.save()
    start = school_day(40)
    return Occasion.objects.create(
        offer=published_offer,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=3,
        allocation_deadline=timezone.now() + timedelta(days=7),
    )


def _apply(occasion, membership, classes="5.A"):
    return services.apply_for_allocation(
        user=membership.user,
        school=membership.school,
        occasion=occasion,
        classes=classes,
        class_count=1,
        grade=5,
        pupils=22,
    )


def test_requests_are_collected_then_one_class_per_school_first(draw_occasion, municipality):
    staff = [f.SchoolMembershipFactory(school__municipality=municipality) for _ in range(3)]
    # School 0 asks for three classes, school 1 for two, school 2 for one: 6 requests, 3 places.
    entries = [_apply(draw_occasion, staff[0], c) for c in ("5.A", "5.B", "5.C")]
    entries += [_apply(draw_occasion, staff[1], c) for c in ("6.A", "6.B")]
    entries += [_apply(draw_occasion, staff[2], "7.A")]
    with pytest.raises(BookingError):  # no direct booking while requests are collected
        services.request_booking(
            user=staff[0].user,
            school=staff[0].school,
            offer=draw_occasion.offer,
            occasion=draw_occasion,
            classes="x",
            class_count=1,
            grade=5,
            pupils=20,
            contact_teacher=staff[0].user,
        )
    assert services.allocate(draw_occasion.pk) == []  # not before the deadline
    later = draw_occasion.allocation_deadline + timedelta(minutes=1)
    results = services.allocate(draw_occasion.pk, seed="fixed", now=later)
    assert len(results) == 6
    winners = [e for e in results if e.state == W.ACCEPTED]
    # Three places, three schools: every school gets exactly one class.
    assert sorted(e.school_id for e in winners) == sorted(m.school_id for m in staff)
    assert all(e.booking.state == BookingState.CONFIRMED for e in winners)
    losers = [e for e in results if e.state == W.WAITING]
    assert [e.rank for e in losers] == [1, 2, 3]
    for entry in results:
        assert "fixed" in entry.allocation_note  # the seed is part of the explanation
        assert Notification.objects.filter(key=f"bookings:allocation:{entry.pk}").exists()
    draw_occasion.refresh_from_db()
    assert draw_occasion.reserved == 3 and draw_occasion.allocation_seed == "fixed"
    # Allocating again changes nothing.
    assert services.allocate(draw_occasion.pk, now=later) == []
    assert Booking.objects.count() == 3


def test_the_draw_is_reproducible(draw_occasion, municipality):
    staff = [f.SchoolMembershipFactory(school__municipality=municipality) for _ in range(5)]
    entries = [_apply(draw_occasion, m) for m in staff]
    first = [e.pk for e in services.draw_order(entries, "abc")]
    assert first == [e.pk for e in services.draw_order(list(reversed(entries)), "abc")]
    assert sorted(first) == sorted(e.pk for e in entries)


def test_freed_place_after_the_draw_goes_to_rank_one(draw_occasion, municipality):
    staff = [f.SchoolMembershipFactory(school__municipality=municipality) for _ in range(4)]
    for m in staff:
        _apply(draw_occasion, m)
    later = draw_occasion.allocation_deadline + timedelta(minutes=1)
    results = services.allocate(draw_occasion.pk, seed="s", now=later)
    loser = next(e for e in results if e.state == W.WAITING)
    winner = next(e for e in results if e.state == W.ACCEPTED)
    services.transition(
        winner.booking, "cancel", user=winner.requested_by, actor="school", note="Syg klasse"
    )
    services.offer_freed_places(draw_occasion.pk)
    loser.refresh_from_db()
    assert loser.state == W.OFFERED


def test_booking_view_collects_the_request(client, teacher, school, draw_occasion):
    client.force_login(teacher)
    response = client.post(
        reverse("bookings:book_offer", args=[draw_occasion.offer.slug]),
        {
            "school": school.pk,
            "occasion": draw_occasion.pk,
            "classes": "2.A",
            "class_count": 1,
            "grade": 2,
            "pupils": 20,
            "contact_teacher": teacher.pk,
        },
    )
    assert response.status_code == 302
    assert not Booking.objects.exists()
    entry = WaitingListEntry.objects.get()
    assert entry.for_allocation and entry.school == school
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert "2.A" in page
