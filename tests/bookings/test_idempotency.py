"""One click, one booking: a creating form sent twice (a double click, a retry after a slow
answer) creates one row, reserves once and answers the second submit with the first result.

The form carries a key (``portal.forms.SubmitKeyField``) that the service stores on the row
under a unique constraint per sender; see ``portal.submitkeys.sent_before``.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import (
    Booking,
    BookingMessage,
    Evaluation,
    Occasion,
    WaitingListEntry,
)
from bookings.states import Actor, BookingTransition
from notifications.models import Notification
from schools.models import EventParticipation, SchoolEvent
from tests import factories as f

from .conftest import make_booking, request_form, run_concurrently, school_day

KEY = re.compile(r'<input type="hidden" name="submit_key" value="([0-9a-f-]{36})"')


def form_key(client, url, action=None) -> str:
    """The key of the form as the page renders it: its only form, or the one that posts to
    ``action``."""
    html = client.get(url).content.decode()
    if action is not None:
        (html,) = re.findall(rf'<form [^>]*action="{re.escape(action)}".*?</form>', html, re.S)
    (key,) = KEY.findall(html)
    return key


def occasion_form(school, teacher, occasion, **changes):
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


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def book_url(occasion):
    return reverse("bookings:book_offer", args=[occasion.offer.slug])


# --- The form and its key -----------------------------------------------------------------


def test_every_rendering_of_the_form_has_a_new_key(client, teacher, book_url):
    client.force_login(teacher)
    first, second = form_key(client, book_url), form_key(client, book_url)
    assert first != second
    assert uuid.UUID(first).version == 4


def test_a_form_shown_again_with_an_error_keeps_its_key(client, teacher, school, book_url):
    """Nothing was created under it, so the corrected form may use it."""
    client.force_login(teacher)
    key = str(uuid.uuid4())
    response = client.post(book_url, {"school": school.pk, "submit_key": key})
    assert response.status_code == 200
    assert KEY.findall(response.content.decode()) == [key]


@pytest.mark.parametrize(
    "bad",
    ["not-a-key", "1" * 33, "' OR 1=1 --", "x" * 5000, "00000000-0000-0000-0000-00000000000g"],
)
def test_a_malformed_key_is_a_form_error_and_the_form_gets_a_new_one(
    client, teacher, school, occasion, book_url, bad
):
    client.force_login(teacher)
    response = client.post(book_url, occasion_form(school, teacher, occasion, submit_key=bad))
    assert response.status_code == 200
    assert "submit_key" in response.context["form"].errors
    assert not Booking.objects.exists()
    html = response.content.decode()
    assert "Formularen kunne ikke læses" in html  # the summary shows the hidden field's error
    (fresh,) = KEY.findall(html)
    assert uuid.UUID(fresh)
    # Sent again as the page now has it, the form books.
    response = client.post(book_url, occasion_form(school, teacher, occasion, submit_key=fresh))
    assert response.status_code == 302 and Booking.objects.count() == 1


def test_without_a_key_every_submit_books_as_before(client, teacher, school, occasion, book_url):
    client.force_login(teacher)
    for _ in range(2):
        assert client.post(book_url, occasion_form(school, teacher, occasion)).status_code == 302
    assert Booking.objects.count() == 2
    occasion.refresh_from_db()
    assert occasion.reserved == 2


def test_a_new_form_books_again(client, teacher, school, occasion, book_url):
    client.force_login(teacher)
    for _ in range(2):
        key = form_key(client, book_url)
        client.post(book_url, occasion_form(school, teacher, occasion, submit_key=key))
    assert Booking.objects.count() == 2


# --- The booking form sent twice ----------------------------------------------------------


def test_booking_form_sent_twice_books_and_reserves_once(
    client, teacher, school, occasion, book_url
):
    client.force_login(teacher)
    data = occasion_form(school, teacher, occasion, submit_key=form_key(client, book_url))
    first = client.post(book_url, data)
    second = client.post(book_url, data)
    booking = Booking.objects.get()
    assert booking.submit_key == uuid.UUID(data["submit_key"])
    occasion.refresh_from_db()
    assert occasion.reserved == 1 == booking.places
    # The second submit shows what the first one did.
    detail = reverse("bookings:detail", args=[booking.pk])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail
    assert texts(second) == ["Jeres forespørgsel er sendt til foreningen."]
    assert booking.events.count() == 1
    assert Notification.objects.filter(key__startswith=f"bookings:{booking.pk}:").count() == 1


def test_on_request_form_sent_twice_makes_one_request(client, teacher, school, hourly_offer):
    url = reverse("bookings:book_offer", args=[hourly_offer.slug])
    client.force_login(teacher)
    data = request_form(school, teacher, submit_key=form_key(client, url))
    first, second = client.post(url, data), client.post(url, data)
    booking = Booking.objects.get()
    assert first["Location"] == second["Location"] == reverse("bookings:detail", args=[booking.pk])
    assert Notification.objects.count() == 1


def test_the_last_place_sent_twice_is_not_put_on_the_waiting_list(
    client, teacher, school, occasion, book_url
):
    """The first submit took the last places: the second is full, but it was already booked."""
    client.force_login(teacher)
    data = occasion_form(
        school,
        teacher,
        occasion,
        class_count=2,
        pupils=44,
        join_waiting_list="on",
        submit_key=form_key(client, book_url),
    )
    first, second = client.post(book_url, data), client.post(book_url, data)
    booking = Booking.objects.get()
    assert first["Location"] == second["Location"] == reverse("bookings:detail", args=[booking.pk])
    assert not WaitingListEntry.objects.exists()
    occasion.refresh_from_db()
    assert occasion.reserved == 2 == occasion.capacity


def test_waiting_list_form_sent_twice_joins_once(
    client, teacher, school, occasion, book_url, other_teacher, other_school
):
    make_booking(other_teacher, other_school, occasion.offer, occasion, class_count=2)
    client.force_login(teacher)
    data = occasion_form(
        school, teacher, occasion, join_waiting_list="on", submit_key=form_key(client, book_url)
    )
    first, second = client.post(book_url, data), client.post(book_url, data)
    entry = school.waiting_entries.get()
    assert entry.submit_key == uuid.UUID(data["submit_key"])
    assert first["Location"] == second["Location"] == reverse("bookings:my_school")
    assert texts(second) == ["Datoen er fuld. Jeres skole står på ventelisten."]
    assert Booking.objects.filter(school=school).count() == 0
    occasion.refresh_from_db()
    assert occasion.reserved == 2


def test_allocation_request_sent_twice_takes_part_once(client, teacher, school, occasion):
    occasion.allocation_deadline = timezone.now() + timedelta(days=7)
    occasion.save()
    url = reverse("bookings:book_offer", args=[occasion.offer.slug])
    client.force_login(teacher)
    data = occasion_form(school, teacher, occasion, submit_key=form_key(client, url))
    first, second = client.post(url, data), client.post(url, data)
    entry = WaitingListEntry.objects.get()
    assert entry.for_allocation and entry.submit_key == uuid.UUID(data["submit_key"])
    assert first["Location"] == second["Location"] == reverse("bookings:my_school")
    assert len(texts(second)) == 1 and "fordeling" in texts(second)[0]
    # Another class of the same school is another form: it takes part too.
    client.post(url, occasion_form(school, teacher, occasion, classes="5.B", submit_key=""))
    assert WaitingListEntry.objects.count() == 2


def test_someone_elses_key_books_for_themself_and_shows_nothing_of_the_first(
    client, teacher, school, occasion, book_url, other_teacher, other_school
):
    """A key is scoped by the person who sends it: another teacher who sends the same key
    (copied, guessed, replayed) gets a booking of their own, never a way to the first."""
    client.force_login(teacher)
    key = form_key(client, book_url)
    client.post(book_url, occasion_form(school, teacher, occasion, submit_key=key))
    mine = Booking.objects.get()
    client.force_login(other_teacher)
    response = client.post(
        book_url, occasion_form(other_school, other_teacher, occasion, submit_key=key)
    )
    theirs = Booking.objects.exclude(pk=mine.pk).get()
    assert theirs.school == other_school and theirs.requested_by == other_teacher
    assert response["Location"] == reverse("bookings:detail", args=[theirs.pk])
    occasion.refresh_from_db()
    assert occasion.reserved == 2
    assert client.get(reverse("bookings:detail", args=[mine.pk])).status_code == 404


def test_someone_elses_key_of_a_full_date_is_refused_as_full(
    client, teacher, school, occasion, book_url, other_teacher, other_school
):
    client.force_login(teacher)
    key = form_key(client, book_url)
    client.post(book_url, occasion_form(school, teacher, occasion, class_count=2, submit_key=key))
    client.force_login(other_teacher)
    response = client.post(
        book_url, occasion_form(other_school, other_teacher, occasion, submit_key=key)
    )
    assert response.status_code == 200 and response.context["form"].errors["occasion"]
    assert Booking.objects.count() == 1


def test_a_key_sent_again_for_another_offer_shows_the_first_booking(
    client, teacher, school, occasion, book_url, association
):
    """Each offer's page renders its own key; one sent again elsewhere is the same form
    sent twice: it shows the sender's own first booking and books nothing more."""
    other_offer = f.OfferFactory(association=association, published=True, on_request=False)
    start = school_day(35)
    other_date = Occasion.objects.create(
        offer=other_offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
    )
    client.force_login(teacher)
    key = form_key(client, book_url)
    client.post(book_url, occasion_form(school, teacher, occasion, submit_key=key))
    first = Booking.objects.get()
    response = client.post(
        reverse("bookings:book_offer", args=[other_offer.slug]),
        occasion_form(school, teacher, other_date, submit_key=key),
    )
    assert response["Location"] == reverse("bookings:detail", args=[first.pk])
    assert Booking.objects.get() == first
    other_date.refresh_from_db()
    assert other_date.reserved == 0


def test_the_service_returns_the_first_booking_and_reserves_nothing(teacher, school, occasion):
    key = uuid.uuid4()
    first = make_booking(teacher, school, occasion.offer, occasion, submit_key=key)
    again = make_booking(teacher, school, occasion.offer, occasion, submit_key=key)
    assert again == first
    occasion.refresh_from_db()
    assert occasion.reserved == 1


# --- Messages, evaluations, taking part ---------------------------------------------------


def test_message_sent_twice_is_posted_once(client, booking, teacher, association):
    detail = reverse("bookings:detail", args=[booking.pk])
    url = reverse("bookings:post_message", args=[booking.pk])
    client.force_login(teacher)
    data = {"body": "Hvor mødes vi?", "submit_key": form_key(client, detail, url)}
    first, second = client.post(url, data), client.post(url, data)
    message = BookingMessage.objects.get()
    assert message.submit_key == uuid.UUID(data["submit_key"])
    assert first["Location"] == second["Location"] == detail + "#messages"
    assert texts(second) == ["Din besked er sendt."]
    assert Notification.objects.filter(key__contains="message:").count() == 1
    # The next message is another form.
    client.post(url, {"body": "Og hvornår?", "submit_key": form_key(client, detail, url)})
    assert BookingMessage.objects.count() == 2


def test_message_key_of_another_booking_shows_that_booking(
    client, booking, teacher, school, occasion
):
    """Sent to another booking's address, a used key shows where the message went."""
    other = make_booking(teacher, school, occasion.offer, occasion)
    client.force_login(teacher)
    data = {"body": "Hej", "submit_key": str(uuid.uuid4())}
    client.post(reverse("bookings:post_message", args=[booking.pk]), data)
    response = client.post(reverse("bookings:post_message", args=[other.pk]), data)
    assert response["Location"] == reverse("bookings:detail", args=[booking.pk]) + "#messages"
    assert BookingMessage.objects.get().booking == booking


def test_someone_elses_message_key_posts_their_own_message(
    client, booking, teacher, association_member
):
    key = str(uuid.uuid4())
    url = reverse("bookings:post_message", args=[booking.pk])
    client.force_login(teacher)
    client.post(url, {"body": "Fra skolen", "submit_key": key})
    client.force_login(association_member)
    response = client.post(url, {"body": "Fra foreningen", "submit_key": key})
    assert response["Location"] == reverse("bookings:detail", args=[booking.pk]) + "#messages"
    assert sorted(BookingMessage.objects.values_list("body", flat=True)) == [
        "Fra foreningen",
        "Fra skolen",
    ]


def test_malformed_message_key_shows_the_form_again(client, booking, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("bookings:post_message", args=[booking.pk]), {"body": "Hej", "submit_key": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Formularen kunne ikke læses" in html and "Hej" in html
    assert not BookingMessage.objects.exists()


@pytest.fixture
def past_booking(booking, association_member):
    booking = services.transition(
        booking, BookingTransition.CONFIRM, user=association_member, actor=Actor.ASSOCIATION
    )
    past = timezone.now() - timedelta(days=1)
    Booking.objects.filter(pk=booking.pk).update(starts_at=past - timedelta(hours=2), ends_at=past)
    return booking


def test_evaluation_sent_twice_is_saved_once_and_a_new_form_changes_it(
    client, past_booking, teacher
):
    """One evaluation per booking and side was already the rule (a second submit changed
    it); with the key, the same form sent again leaves it as the first submit saved it."""
    detail = reverse("bookings:detail", args=[past_booking.pk])
    url = reverse("bookings:evaluate", args=[past_booking.pk])
    client.force_login(teacher)
    data = {"rating": 4, "took_place": "on", "submit_key": form_key(client, detail, url)}
    first = client.post(url, data)
    saved = Evaluation.objects.get()
    second = client.post(url, data)
    assert first["Location"] == second["Location"] == detail + "#evaluation"
    assert texts(second) == ["Tak for jeres evaluering."]
    again = Evaluation.objects.get()
    assert again.updated_at == saved.updated_at and again.rating == 4
    assert again.submit_key == uuid.UUID(data["submit_key"])
    # The page's next form changes it.
    client.post(url, {"rating": 5, "took_place": "on", "submit_key": form_key(client, detail, url)})
    assert Evaluation.objects.get().rating == 5


def test_malformed_evaluation_key_saves_nothing(client, past_booking, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("bookings:evaluate", args=[past_booking.pk]),
        {"rating": 4, "took_place": "on", "submit_key": "nope"},
    )
    assert response.status_code == 302 and not Evaluation.objects.exists()


def test_detail_page_forms_carry_keys(client, past_booking, teacher):
    client.force_login(teacher)
    html = client.get(reverse("bookings:detail", args=[past_booking.pk])).content.decode()
    message_key, evaluation_key = KEY.findall(html)
    assert message_key != evaluation_key


@pytest.fixture
def event(school):
    day = school_day(60).date()
    return SchoolEvent.objects.create(
        school=school, title="Idrætsdag", starts_on=day, ends_on=day, grade_min=0, grade_max=6
    )


def test_taking_part_sent_twice_is_saved_once(client, event, association_member, published_offer):
    url = reverse("schools:participate", args=[event.pk])
    client.force_login(association_member)
    data = {"offer": published_offer.pk, "message": "Fodbold", "submit_key": form_key(client, url)}
    first = client.post(url, data)
    saved = EventParticipation.objects.get()
    second = client.post(url, data)
    assert first["Location"] == second["Location"] == reverse("schools:school_events")
    again = EventParticipation.objects.get()
    assert again == saved and again.message == "Fodbold"
    assert again.submit_key == uuid.UUID(data["submit_key"])
    client.post(url, {**data, "message": "Håndbold", "submit_key": form_key(client, url)})
    assert EventParticipation.objects.get().message == "Håndbold"


def test_malformed_taking_part_key_is_a_form_error(
    client, event, association_member, published_offer
):
    client.force_login(association_member)
    response = client.post(
        reverse("schools:participate", args=[event.pk]),
        {"offer": published_offer.pk, "message": "Fodbold", "submit_key": "nope"},
    )
    assert response.status_code == 200 and response.context["form"].errors["submit_key"]
    assert not EventParticipation.objects.exists()


# --- Two submits at the same moment (PostgreSQL) -----------------------------------------


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staffed_offer():
    """An offer with a two-class date, a teacher of a school in its municipality."""
    municipality = f.MunicipalityFactory()
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    start = school_day(30)
    occasion = Occasion.objects.create(
        offer=offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
    )
    membership = f.SchoolMembershipFactory(school__municipality=municipality)
    return offer, occasion, membership


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_the_booking_form_book_once(staffed_offer):
    """The second waits for the first's lock on the date, then finds the key taken at the
    insert: its reservation is rolled back and it answers with the first booking."""
    offer, occasion, membership = staffed_offer
    url = reverse("bookings:book_offer", args=[offer.slug])
    clients = [_logged_in(membership.user) for _ in range(2)]
    data = occasion_form(membership.school, membership.user, occasion, submit_key=str(uuid.uuid4()))

    responses = run_concurrently(2, lambda i: clients[i].post(url, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    booking = Booking.objects.get()
    assert {r["Location"] for r in responses} == {reverse("bookings:detail", args=[booking.pk])}
    occasion.refresh_from_db()
    assert occasion.reserved == 1 == booking.places
    assert Notification.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_an_on_request_form_book_once(staffed_offer):
    """No date to lock: the unique index makes the second insert wait for the first commit."""
    offer, _occasion, membership = staffed_offer
    offer.on_request = True
    offer.save()
    url = reverse("bookings:book_offer", args=[offer.slug])
    clients = [_logged_in(membership.user) for _ in range(2)]
    data = request_form(membership.school, membership.user, submit_key=str(uuid.uuid4()))

    responses = run_concurrently(2, lambda i: clients[i].post(url, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    booking = Booking.objects.get()
    assert {r["Location"] for r in responses} == {reverse("bookings:detail", args=[booking.pk])}
    assert Notification.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_the_waiting_list_form_join_once(staffed_offer):
    offer, occasion, membership = staffed_offer
    Occasion.objects.filter(pk=occasion.pk).update(reserved=2)  # full
    url = reverse("bookings:book_offer", args=[offer.slug])
    clients = [_logged_in(membership.user) for _ in range(2)]
    data = occasion_form(
        membership.school,
        membership.user,
        occasion,
        join_waiting_list="on",
        submit_key=str(uuid.uuid4()),
    )

    responses = run_concurrently(2, lambda i: clients[i].post(url, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    assert {r["Location"] for r in responses} == {reverse("bookings:my_school")}
    assert WaitingListEntry.objects.count() == 1
    assert not Booking.objects.exists()
    occasion.refresh_from_db()
    assert occasion.reserved == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_a_message_post_once(staffed_offer):
    offer, occasion, membership = staffed_offer
    booking = make_booking(membership.user, membership.school, offer, occasion)
    url = reverse("bookings:post_message", args=[booking.pk])
    clients = [_logged_in(membership.user) for _ in range(2)]
    data = {"body": "Hvor mødes vi?", "submit_key": str(uuid.uuid4())}

    responses = run_concurrently(2, lambda i: clients[i].post(url, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    assert BookingMessage.objects.count() == 1
    assert Notification.objects.filter(key__contains="message:").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_an_evaluation_save_once(staffed_offer):
    offer, occasion, membership = staffed_offer
    member = f.AssociationMembershipFactory(association=offer.association).user
    booking = make_booking(membership.user, membership.school, offer, occasion)
    services.transition(booking, BookingTransition.CONFIRM, user=member, actor=Actor.ASSOCIATION)
    past = timezone.now() - timedelta(days=1)
    Booking.objects.filter(pk=booking.pk).update(starts_at=past - timedelta(hours=2), ends_at=past)
    url = reverse("bookings:evaluate", args=[booking.pk])
    clients = [_logged_in(membership.user) for _ in range(2)]
    data = {"rating": 3, "took_place": "on", "submit_key": str(uuid.uuid4())}

    responses = run_concurrently(2, lambda i: clients[i].post(url, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    evaluation = Evaluation.objects.get()
    assert evaluation.rating == 3 and evaluation.author == membership.user
