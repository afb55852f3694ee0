from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings import services
from bookings.models import Booking, BookingEvent, Occasion
from bookings.states import (
    TRANSITIONS,
    Actor,
    BookingError,
    BookingState,
    BookingTransition,
    TransitionNotAllowed,
    target_state,
)
from notifications.models import Notification
from tests import factories as f

from .conftest import make_booking, school_day

B = BookingState
T = BookingTransition

ALL = [(t, s, a) for t in T.values for s in B.values for a in Actor.values]


@pytest.mark.parametrize(("transition", "state", "actor"), ALL)
def test_transition_table(transition, state, actor):
    """Every (transition, state, actor): allowed exactly when the table says so."""
    sources, target, actors = TRANSITIONS[transition]
    if state in sources and actor in actors:
        assert target_state(transition, state, actor) == target
    else:
        with pytest.raises(TransitionNotAllowed):
            target_state(transition, state, actor)


def _set_state(booking, state):
    Booking.objects.filter(pk=booking.pk).update(state=state)
    booking.refresh_from_db()


# --- Allowed transitions through the service ----------------------------------------------


def test_request_reserves_places_and_records(booking, occasion, association):
    occasion.refresh_from_db()
    assert booking.state == B.REQUESTED
    assert booking.places == 1 and occasion.reserved == 1
    assert booking.answer_deadline <= booking.starts_at
    event = booking.events.get()
    assert event.to_state == B.REQUESTED and event.actor == booking.requested_by
    assert Notification.objects.filter(to_email=association.contact_email).exists()


def test_answer_deadline_never_after_the_date(teacher, school, occasion, municipality):
    municipality.booking_answer_days = 60
    municipality.save()
    school.municipality.refresh_from_db()
    b = make_booking(teacher, school, occasion.offer, occasion)
    assert b.answer_deadline == occasion.starts_at


def test_confirm(booking, association_member, teacher):
    b = services.transition(booking, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION)
    assert b.state == B.CONFIRMED and b.confirmed_at
    ev = b.events.last()
    assert (ev.from_state, ev.to_state, ev.actor) == (B.REQUESTED, B.CONFIRMED, association_member)
    assert Notification.objects.filter(to_email=teacher.email, kind="booking.confirmed").exists()


def test_decline_frees_the_place(booking, occasion, association_member):
    services.transition(booking, T.DECLINE, user=association_member, actor=Actor.ASSOCIATION)
    occasion.refresh_from_db()
    booking.refresh_from_db()
    assert booking.state == B.DECLINED and occasion.reserved == 0 and booking.places == 0


def test_alternative_accepted(booking, occasion, association_member, teacher):
    Occasion.objects.filter(pk=occasion.pk).update(place="Idrætsparken")
    new = school_day(50)
    b = services.transition(
        booking,
        T.PROPOSE_ALTERNATIVE,
        user=association_member,
        actor=Actor.ASSOCIATION,
        starts_at=new,
        ends_at=new + timedelta(hours=1),
    )
    assert b.state == B.ALTERNATIVE_PROPOSED and b.proposed_starts_at == new
    b = services.transition(b, T.ACCEPT_ALTERNATIVE, user=teacher, actor=Actor.SCHOOL)
    assert b.state == B.CONFIRMED and b.starts_at == new and b.occasion is None
    # Moved off the occasion's date, but still at the occasion's place.
    b.refresh_from_db()
    assert b.place == b.where == "Idrætsparken"
    # The calendar and the reminders name it too.
    from bookings.ics import bookings_calendar
    from bookings.reminders import _booking_context

    calendar = bookings_calendar(type(b).objects.filter(pk=b.pk)).decode()
    assert "LOCATION:Idrætsparken" in calendar
    assert _booking_context(b)["place"] == "Idrætsparken"
    occasion.refresh_from_db()
    assert occasion.reserved == 0


def test_alternative_declined(booking, association_member, teacher):
    new = school_day(50)
    services.transition(
        booking,
        T.PROPOSE_ALTERNATIVE,
        user=association_member,
        actor=Actor.ASSOCIATION,
        starts_at=new,
        ends_at=new + timedelta(hours=1),
    )
    b = services.transition(booking, T.DECLINE_ALTERNATIVE, user=teacher, actor=Actor.SCHOOL)
    assert b.state == B.DECLINED


def test_alternative_in_a_holiday_is_refused(booking, association_member):
    from datetime import datetime

    christmas = timezone.make_aware(datetime(timezone.localdate().year, 12, 23, 10))
    if christmas < timezone.now():
        christmas = christmas.replace(year=christmas.year + 1)
    with pytest.raises(Exception):  # noqa: B017,PT011 - ValidationError from the holiday check
        services.transition(
            booking,
            T.PROPOSE_ALTERNATIVE,
            user=association_member,
            actor=Actor.ASSOCIATION,
            starts_at=christmas,
            ends_at=christmas + timedelta(hours=1),
        )
    booking.refresh_from_db()
    assert booking.state == B.REQUESTED


def test_confirm_on_request_picks_a_preferred_date(request_booking, association_member):
    # The stored preferred dates carry local time; the same moment read back from the
    # database is in UTC and still names the date.
    request_booking.refresh_from_db()
    chosen = request_booking.starts_at
    assert chosen.utcoffset() == timedelta(0)
    assert request_booking.preferred_dates[0][0].endswith(("+01:00", "+02:00"))
    b = services.transition(
        request_booking,
        T.CONFIRM,
        user=association_member,
        actor=Actor.ASSOCIATION,
        starts_at=chosen,
    )
    assert b.state == B.CONFIRMED and b.starts_at == chosen
    with pytest.raises(BookingError):
        other = make_booking(
            request_booking.requested_by, request_booking.school, request_booking.offer
        )
        services.transition(
            other,
            T.CONFIRM,
            user=association_member,
            actor=Actor.ASSOCIATION,
            starts_at=chosen + timedelta(days=3),
        )


def test_expire_after_deadline_and_both_sides_told(booking, occasion, association, teacher):
    assert services.expire_overdue() == 0  # not yet
    Booking.objects.filter(pk=booking.pk).update(
        answer_deadline=timezone.now() - timedelta(minutes=1)
    )
    assert services.expire_overdue() == 1
    booking.refresh_from_db()
    occasion.refresh_from_db()
    assert booking.state == B.EXPIRED and occasion.reserved == 0
    keys = list(
        Notification.objects.filter(key__contains="expire").values_list("to_email", flat=True)
    )
    assert association.contact_email in keys and teacher.email in keys


def test_expire_refused_before_deadline(booking):
    with pytest.raises(BookingError):
        services.transition(booking, T.EXPIRE, actor=Actor.SYSTEM)


def test_expire_the_task(booking):
    from bookings.tasks import expire_overdue_requests

    Booking.objects.filter(pk=booking.pk).update(answer_deadline=timezone.now())
    assert expire_overdue_requests() == 1


def test_complete_after_the_date(booking, association_member):
    services.transition(booking, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION)
    assert services.complete_past() == 0
    past = timezone.now() - timedelta(days=1)
    Booking.objects.filter(pk=booking.pk).update(starts_at=past - timedelta(hours=2), ends_at=past)
    assert services.complete_past() == 1
    booking.refresh_from_db()
    assert booking.state == B.COMPLETED
    # Both sides are asked for an evaluation.
    asked = Notification.objects.filter(key__contains=":evaluate:")
    assert asked.filter(to_email=booking.offer.association.contact_email).exists()
    assert asked.filter(to_email=booking.contact_teacher.email).exists()


def test_complete_refused_before_the_date(booking, association_member):
    services.transition(booking, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION)
    with pytest.raises(BookingError):
        services.transition(booking, T.COMPLETE, actor=Actor.SYSTEM)


@pytest.mark.parametrize("side", [Actor.SCHOOL, Actor.ASSOCIATION])
def test_cancel_before_cutoff_by_either_side(booking, occasion, teacher, association_member, side):
    user = teacher if side == Actor.SCHOOL else association_member
    with pytest.raises(BookingError):
        services.transition(booking, T.CANCEL, user=user, actor=side, note="  ")  # needs a reason
    b = services.transition(booking, T.CANCEL, user=user, actor=side, note="Sygdom")
    assert b.state == B.CANCELLED and b.cancel_reason == "Sygdom"
    occasion.refresh_from_db()
    assert occasion.reserved == 0


def test_cancel_after_cutoff_only_by_consultant(
    teacher, school, published_offer, association_member, consultant
):
    published_offer.on_request = False
    published_offer.save()
    start = school_day(3)
    # In the school holidays the next school day may lie weeks ahead: past the default cut-off
    # (7 days), where either side may still cancel. The cut-off then reaches the date.
    municipality = school.municipality
    days_ahead = (start.date() - timezone.localdate()).days
    if days_ahead >= municipality.cancellation_cutoff_days:
        municipality.cancellation_cutoff_days = days_ahead + 1
        municipality.save(update_fields=["cancellation_cutoff_days"])
    occ = Occasion.objects.create(
        offer=published_offer, starts_at=start, ends_at=start + timedelta(hours=1), capacity=1
    )
    b = make_booking(teacher, school, published_offer, occ)
    for user, side in [(teacher, Actor.SCHOOL), (association_member, Actor.ASSOCIATION)]:
        with pytest.raises(BookingError):
            services.transition(b, T.CANCEL, user=user, actor=side, note="For sent")
    b = services.transition(b, T.CANCEL, user=consultant, actor=Actor.CONSULTANT, note="Aftalt")
    assert b.state == B.CANCELLED


@pytest.mark.parametrize("final", [B.DECLINED, B.EXPIRED, B.CANCELLED, B.COMPLETED])
@pytest.mark.parametrize("name", T.values)
def test_nothing_leaves_a_final_state(booking, final, name, consultant):
    _set_state(booking, final)
    with pytest.raises(BookingError):
        services.transition(booking, name, user=consultant, actor=Actor.CONSULTANT, note="x")
    booking.refresh_from_db()
    assert booking.state == final


def test_school_cannot_confirm_its_own_request(booking, teacher):
    with pytest.raises(TransitionNotAllowed):
        services.transition(booking, T.CONFIRM, user=teacher, actor=Actor.SCHOOL)
    assert BookingEvent.objects.filter(booking=booking).count() == 1


# --- Price and subsidy --------------------------------------------------------------------


def test_expected_price_per_model(association):
    hourly = f.OfferFactory(
        association=association,
        price_model="hourly",
        price_amount=Decimal("300"),
        duration_minutes=90,
    )
    assert services.expected_price(hourly, 25, sessions=6) == Decimal("2700.00")
    assert services.expected_price(hourly, 25, sessions=2, hours=2) == Decimal("1200.00")
    per_class = f.OfferFactory(
        association=association, price_model="per_class", price_amount=Decimal("500")
    )
    assert services.expected_price(per_class, 40, classes=2) == Decimal("1000.00")
    materials = f.OfferFactory(
        association=association, price_model="materials", price_amount=Decimal("15")
    )
    assert services.expected_price(materials, 20) == Decimal("300.00")
    per_session = f.OfferFactory(
        association=association, price_model="per_session", price_amount=Decimal("400")
    )
    assert services.expected_price(per_session, 20, sessions=3) == Decimal("1200.00")
    free = f.OfferFactory(association=association)
    assert services.expected_price(free, 20, sessions=3) == Decimal("0.00")
