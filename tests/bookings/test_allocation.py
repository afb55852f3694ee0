from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Occasion, SubsidyPool, WaitingListEntry
from bookings.schoolyear import school_year_of
from bookings.states import BookingError, BookingState
from notifications.models import Notification
from tests import factories as f

from .conftest import make_booking, school_day

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


def _date_form(school, teacher, occasion, **changes):
    """The booking form as a teacher fills it in for a fixed date."""
    data = {
        "school": school.pk,
        "occasion": occasion.pk,
        "classes": "5.A",
        "class_count": 1,
        "grade": 5,
        "pupils": 22,
        "contact_teacher": teacher.pk,
    }
    return {**data, **changes}


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
        _date_form(school, teacher, draw_occasion, classes="2.A", grade=2, pupils=20),
    )
    assert response.status_code == 302
    assert not Booking.objects.exists()
    entry = WaitingListEntry.objects.get()
    assert entry.for_allocation and entry.school == school
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert "2.A" in page


# --- A dear date: the school's leader approves what the draw gives -------------------------


@pytest.fixture
def dear_draw(draw_occasion, municipality):
    """A date of three places at 2,000 DKK per class, half paid by the municipality's pool,
    where a school pays more than 500 DKK only with a leader's approval."""
    offer = draw_occasion.offer
    offer.price_model, offer.price_amount = "per_class", Decimal("2000")
    offer.save()
    SubsidyPool.objects.create(
        municipality=municipality,
        amount=Decimal("10000"),
        municipality_share_percent=50,
        school_year=school_year_of(draw_occasion.starts_at.date()),
    )
    municipality.leader_approval_above = Decimal("500")
    municipality.save()
    return draw_occasion


def _after_deadline(occasion):
    return occasion.allocation_deadline + timedelta(minutes=1)


def test_a_teachers_won_place_on_a_dear_date_waits_for_the_leader_then_is_confirmed(
    dear_draw, municipality, association
):
    """The draw gives the place, but no more than a request would get: a leader of the
    school approves it first. The association hears only of the confirmation."""
    teacher = f.SchoolMembershipFactory(school__municipality=municipality, role="teacher")
    leader = f.SchoolMembershipFactory(school=teacher.school, role="principal").user
    _apply(dear_draw, teacher)
    (result,) = services.allocate(dear_draw.pk, seed="s", now=_after_deadline(dear_draw))
    booking = result.booking
    assert result.state == W.ACCEPTED and booking.state == BookingState.AWAITING_APPROVAL
    assert result.allocation_note.startswith("1 forespørgsel fra 1 skole til 3 pladser.")
    assert "skal en skoleleder eller afdelingsleder" in result.allocation_note
    dear_draw.refresh_from_db()
    assert dear_draw.reserved == 1  # the place is held while the leader decides
    assert Notification.objects.filter(to_email=leader.email, kind="booking.approval").exists()
    assert not Notification.objects.filter(to_email=association.contact_email).exists()

    approved = services.transition(booking, "approve", user=leader, actor="leader")
    assert approved.state == BookingState.CONFIRMED
    to_association = Notification.objects.filter(to_email=association.contact_email)
    assert list(to_association.values_list("kind", flat=True)) == ["booking.confirmed"]


def test_a_leaders_own_request_in_the_draw_is_confirmed_at_once(dear_draw, municipality):
    leader = f.SchoolMembershipFactory(school__municipality=municipality, role="principal")
    _apply(dear_draw, leader)
    (result,) = services.allocate(dear_draw.pk, seed="s", now=_after_deadline(dear_draw))
    assert result.booking.state == BookingState.CONFIRMED


def test_a_school_without_a_leader_cannot_apply_for_a_dear_date(dear_draw, municipality):
    teacher = f.SchoolMembershipFactory(school__municipality=municipality, role="teacher")
    with pytest.raises(BookingError, match="ingen af dem bruger portalen"):
        _apply(dear_draw, teacher)
    assert not WaitingListEntry.objects.exists()


def test_a_winner_whose_leader_left_is_ranked_and_the_place_goes_on(dear_draw, municipality):
    """Not booked without the approval the municipality asks for: the school is told why,
    and its place goes to the next school in the draw."""
    dear_draw.capacity = 1
    dear_draw.save()
    first = f.SchoolMembershipFactory(school__municipality=municipality, role="teacher")
    leader = f.SchoolMembershipFactory(school=first.school, role="principal")
    second = f.SchoolMembershipFactory(school__municipality=municipality, role="principal")
    _apply(dear_draw, first)
    _apply(dear_draw, second)
    leader.delete()
    entries = list(WaitingListEntry.objects.all())
    seed = next(  # a seed that draws the school without a leader first
        s for s in map(str, range(100)) if services.draw_order(entries, s)[0] == entries[0]
    )
    results = services.allocate(dear_draw.pk, seed=seed, now=_after_deadline(dear_draw))
    refused = next(e for e in results if e.school_id == first.school_id)
    won = next(e for e in results if e.school_id == second.school_id)
    # Out of line: a place freed later is not held for a school that cannot take it.
    assert refused.state == W.REFUSED and refused.rank is None and refused.booking is None
    assert "kunne ikke bookes" in refused.allocation_note
    assert won.booking.state == BookingState.CONFIRMED
    assert Booking.objects.count() == 1


def test_a_place_freed_after_the_draw_is_a_request_again_after_the_leaders_approval(
    dear_draw, municipality, association
):
    """Only the draw's winners were agreed to by the association beforehand: a place freed
    later and taken from the waiting list is answered by the association, as any request."""
    dear_draw.capacity = 1
    dear_draw.save()
    staff = [
        f.SchoolMembershipFactory(school__municipality=municipality, role="principal")
        for _ in range(2)
    ]
    for m in staff:
        _apply(dear_draw, m)
    results = services.allocate(dear_draw.pk, seed="s", now=_after_deadline(dear_draw))
    winner = next(e for e in results if e.state == W.ACCEPTED)
    loser = next(e for e in results if e.state == W.WAITING)
    services.transition(
        winner.booking, "cancel", user=winner.requested_by, actor="school", note="Syg klasse"
    )
    services.offer_freed_places(dear_draw.pk)
    loser.refresh_from_db()
    teacher = f.SchoolMembershipFactory(school=loser.school, role="teacher").user
    booking = services.accept_waiting_offer(loser, user=teacher, contact_teacher=teacher)
    assert booking.state == BookingState.AWAITING_APPROVAL  # a teacher accepted it
    approved = services.transition(booking, "approve", user=loser.requested_by, actor="leader")
    assert approved.state == BookingState.REQUESTED and approved.sent_to_association


def test_a_winner_waiting_for_its_leader_holds_the_place_against_the_next_school(
    dear_draw, municipality
):
    dear_draw.capacity = 1
    dear_draw.save()
    teacher = f.SchoolMembershipFactory(school__municipality=municipality, role="teacher")
    leader = f.SchoolMembershipFactory(school=teacher.school, role="principal").user
    other = f.SchoolMembershipFactory(school__municipality=municipality, role="principal")
    _apply(dear_draw, teacher)
    _apply(dear_draw, other)
    entries = list(WaitingListEntry.objects.all())
    seed = next(s for s in map(str, range(100)) if services.draw_order(entries, s)[0] == entries[0])
    results = services.allocate(dear_draw.pk, seed=seed, now=_after_deadline(dear_draw))
    waits = next(e for e in results if e.school_id == teacher.school_id)
    ranked = next(e for e in results if e.school_id == other.school_id)
    assert waits.booking.state == BookingState.AWAITING_APPROVAL
    assert ranked.state == W.WAITING and ranked.rank == 1
    # Not approved: the place goes to the next school in line.
    services.transition(
        waits.booking, "disapprove", user=leader, actor="leader", note="Budgettet er brugt"
    )
    services.offer_freed_places(dear_draw.pk)
    ranked.refresh_from_db()
    assert ranked.state == W.OFFERED


def test_after_the_deadline_no_one_books_the_date_before_the_draw(
    client, dear_draw, municipality, teacher, school, department_head
):
    """Between the deadline and the allocation's run the places still belong to the draw."""
    principal = f.SchoolMembershipFactory(school__municipality=municipality, role="principal")
    _apply(dear_draw, principal)
    dear_draw.allocation_deadline = timezone.now() - timedelta(minutes=1)
    dear_draw.save()
    with pytest.raises(BookingError):
        make_booking(teacher, school, dear_draw.offer, dear_draw)
    client.force_login(teacher)
    page = client.post(
        reverse("bookings:book_offer", args=[dear_draw.offer.slug]),
        _date_form(school, teacher, dear_draw),
    )
    assert page.status_code == 200 and "samles ikke længere" in page.content.decode()
    assert WaitingListEntry.objects.count() == 1 and not Booking.objects.exists()
    services.allocate(dear_draw.pk, seed="s")
    # Drawn, the two places left can be booked.
    booking = make_booking(department_head, school, dear_draw.offer, dear_draw)
    assert booking.state == BookingState.REQUESTED


def test_a_request_the_offer_no_longer_takes_is_told_why_and_the_draw_goes_on(
    draw_occasion, municipality
):
    """The association changed the offer's grades after a school applied: that school's
    request cannot be booked, and the place it was drawn for goes to the next school."""
    draw_occasion.capacity = 1
    draw_occasion.save()
    first, second = (f.SchoolMembershipFactory(school__municipality=municipality) for _ in "ab")
    _apply(draw_occasion, first)
    ninth = services.apply_for_allocation(
        user=second.user,
        school=second.school,
        occasion=draw_occasion,
        classes="9.A",
        class_count=1,
        grade=9,
        pupils=22,
    )
    offer = draw_occasion.offer
    offer.grade_max = 8
    offer.save()
    entries = list(WaitingListEntry.objects.all())
    seed = next(  # a seed that draws the ninth grade first
        s for s in map(str, range(100)) if services.draw_order(entries, s)[0] == ninth
    )
    results = services.allocate(draw_occasion.pk, seed=seed, now=_after_deadline(draw_occasion))
    refused = next(e for e in results if e.school_id == second.school_id)
    won = next(e for e in results if e.school_id == first.school_id)
    assert won.booking.state == BookingState.CONFIRMED
    assert refused.state == W.REFUSED and refused.booking is None
    assert "kunne ikke bookes: Tilbuddet er for 0. til 8. klassetrin." in refused.allocation_note
