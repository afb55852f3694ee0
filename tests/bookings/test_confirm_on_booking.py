"""Dates confirmed on booking: a booking within the free places is final at once (like a
ticket), with the same capacity guarantees as a request; a full date refuses or puts the
school on the waiting list."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, BookingEvent, Occasion, WaitingListEntry
from bookings.states import BookingState
from notifications.models import Notification
from tests import factories as f

from .conftest import make_booking, run_concurrently, school_day

B = BookingState


@pytest.fixture
def ticket_date(occasion):
    occasion.confirm_on_booking = True
    occasion.save()
    return occasion


def book(teacher, school, occasion, **changes):
    data = {
        "user": teacher,
        "school": school,
        "offer": occasion.offer,
        "occasion": occasion,
        "contact_teacher": teacher,
        "classes": "5.A",
        "class_count": 1,
        "grade": 5,
        "pupils": 22,
    }
    return services.book(**{**data, **changes})


def test_a_booking_within_capacity_is_confirmed_at_once(teacher, school, ticket_date, association):
    outcome = book(teacher, school, ticket_date)
    assert outcome.kind == "confirmed"
    booking = Booking.objects.get()
    assert outcome.booking == booking
    assert booking.state == B.CONFIRMED and booking.confirmed_at is not None
    ticket_date.refresh_from_db()
    assert ticket_date.reserved == 1
    steps = list(BookingEvent.objects.filter(booking=booking).values_list("from_state", "to_state"))
    assert steps == [("", B.REQUESTED), (B.REQUESTED, B.CONFIRMED)]
    # The confirmation e-mails of a normal confirmation, and no request to answer.
    confirmed = Notification.objects.filter(kind="booking.confirmed")
    assert set(confirmed.values_list("to_email", flat=True)) == {
        teacher.email,
        association.contact_email,
    }
    assert not Notification.objects.filter(kind="booking.requested").exists()


def test_a_normal_date_still_waits_for_the_association(teacher, school, occasion):
    outcome = book(teacher, school, occasion)
    assert outcome.kind == "requested"
    assert Booking.objects.get().state == B.REQUESTED
    assert Notification.objects.filter(kind="booking.requested").exists()
    assert not Notification.objects.filter(kind="booking.confirmed").exists()


def test_confirmation_e_mails_arrive(
    teacher, school, ticket_date, association, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(teacher, school, ticket_date)
    assert mailbox.wait_for(2, settle=0.3) == 2
    for address in (teacher.email, association.contact_email):
        (message,) = mailbox.to(address)
        assert ticket_date.offer.title in message["Subject"]


def test_a_full_date_refuses_or_puts_the_school_on_the_waiting_list(
    teacher, school, other_teacher, other_school, ticket_date
):
    book(teacher, school, ticket_date, class_count=2, classes="5.A og 5.B", pupils=44)
    with pytest.raises(services.OccasionFull):
        book(other_teacher, other_school, ticket_date)
    outcome = book(other_teacher, other_school, ticket_date, join_waiting_list=True)
    assert outcome.kind == "waiting"
    assert outcome.entry.state == WaitingListEntry.State.WAITING
    assert Booking.objects.filter(school=other_school).count() == 0


def test_a_freed_place_accepted_from_the_waiting_list_is_confirmed(
    teacher,
    school,
    other_teacher,
    other_school,
    ticket_date,
    association_member,
    django_capture_on_commit_callbacks,
):
    first = book(teacher, school, ticket_date, class_count=2, classes="5.A og 5.B", pupils=44)
    entry = book(other_teacher, other_school, ticket_date, join_waiting_list=True).entry
    with django_capture_on_commit_callbacks(execute=True):  # the freed place is offered
        services.transition(
            first.booking, "cancel", user=association_member, actor="association", note="Syg"
        )
    entry.refresh_from_db()
    assert entry.state == WaitingListEntry.State.OFFERED
    booking = services.accept_waiting_offer(
        entry, user=other_teacher, contact_teacher=other_teacher
    )
    assert booking.state == B.CONFIRMED
    ticket_date.refresh_from_db()
    assert ticket_date.reserved == 1


def test_the_same_form_sent_twice_books_once(teacher, school, ticket_date):
    key = uuid.uuid4()
    first = book(teacher, school, ticket_date, submit_key=key)
    second = book(teacher, school, ticket_date, submit_key=key)
    assert first.booking == second.booking and second.kind == "confirmed"
    ticket_date.refresh_from_db()
    assert ticket_date.reserved == 1


def test_the_fair_allocation_of_such_a_date_confirms_its_winners_once(teacher, school, ticket_date):
    ticket_date.allocation_deadline = timezone.now() + timedelta(days=1)
    ticket_date.save()
    book(teacher, school, ticket_date)
    services.allocate(ticket_date.pk, now=timezone.now() + timedelta(days=2))
    booking = Booking.objects.get()
    assert booking.state == B.CONFIRMED
    assert booking.events.filter(to_state=B.CONFIRMED).count() == 1


def test_the_view_says_the_booking_is_confirmed(client, teacher, school, ticket_date):
    client.force_login(teacher)
    url = reverse("bookings:book_offer", args=[ticket_date.offer.slug])
    page = client.get(url)
    assert "bekræftes ved booking" in page.content.decode()  # the date's label says so
    data = {
        "school": school.pk,
        "occasion": ticket_date.pk,
        "classes": "5.A",
        "class_count": 1,
        "grade": 5,
        "pupils": 22,
        "contact_teacher": teacher.pk,
    }
    response = client.post(url, data, follow=True)
    booking = Booking.objects.get()
    assert response.redirect_chain[-1][0] == reverse("bookings:detail", args=[booking.pk])
    shown = [str(m) for m in response.context["messages"]]
    assert shown in (["Jeres booking er bekræftet."], ["Your booking is confirmed."])


def test_the_association_marks_a_date_confirmed_on_booking(client, association_member, occasion):
    client.force_login(association_member)
    start = timezone.localtime(school_day(35))
    response = client.post(
        reverse("bookings:occasions", args=[occasion.offer.pk]),
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": 3,
            "capacity_unit": "classes",
            "confirm_on_booking": "on",
        },
    )
    assert response.status_code == 302
    added = Occasion.objects.exclude(pk=occasion.pk).get()
    assert added.confirm_on_booking


# --- Concurrency on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_a_ticket_date_never_overbook():
    municipality = f.MunicipalityFactory()
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    start = school_day(30)
    occ = Occasion.objects.create(
        offer=offer,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=3,
        reserved=1,
        confirm_on_booking=True,
    )
    staff = [f.SchoolMembershipFactory(school__municipality=municipality) for _ in range(20)]

    def work(i):
        m = staff[i]
        return make_booking(m.user, m.school, offer, occ)

    results = run_concurrently(20, work)
    successes = [r for r in results if isinstance(r, Booking)]
    refusals = [r for r in results if isinstance(r, services.OccasionFull)]
    assert len(successes) == 2, results
    assert len(refusals) == 18, results
    assert all(b.state == B.CONFIRMED for b in successes)
    occ.refresh_from_db()
    assert occ.reserved == 3
    assert Booking.objects.filter(occasion=occ, state=B.CONFIRMED).count() == 2


# --- A request that waits for the school's leader -----------------------------------------


def test_a_request_awaiting_the_leader_is_confirmed_when_approved(
    teacher, school, department_head, ticket_date, association, municipality
):
    """Above the municipality's amount a request waits for a leader, holding its places;
    the leader's approval then confirms it at once, and the association hears only that."""
    offer = ticket_date.offer
    offer.price_model, offer.price_amount = "per_class", Decimal("2000")
    offer.save()
    municipality.leader_approval_above = Decimal("500")
    municipality.save()
    outcome = book(teacher, school, ticket_date)
    assert outcome.kind == "requested"
    assert outcome.booking.state == B.AWAITING_APPROVAL
    assert not Notification.objects.filter(to_email=association.contact_email).exists()
    approved = services.transition(outcome.booking, "approve", user=department_head, actor="leader")
    assert approved.state == B.CONFIRMED
    ticket_date.refresh_from_db()
    assert ticket_date.reserved == 1
    to_association = Notification.objects.filter(to_email=association.contact_email)
    assert list(to_association.values_list("kind", flat=True)) == ["booking.confirmed"]
