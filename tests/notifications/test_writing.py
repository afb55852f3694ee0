"""notify() stores what to write; the worker writes each e-mail just before sending it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from bookings.models import Booking
from bookings.services.emails import notify_both
from bookings.states import BookingState
from notifications import context as email_context
from notifications import services
from notifications.models import Notification
from tests import factories as f
from tests.bookings.conftest import make_booking, request_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(teacher, school, association):
    offer = f.OfferFactory(association=association, published=True, on_request=True)
    return make_booking(teacher, school, offer)


def queue(booking, to, **kw):
    return services.notify(
        kind="booking.requested",
        key=f"later:{to}",
        to_email=to,
        template="booking_requested",
        context={"recipient_name": "Ida", "booking": booking, "action_url": "https://x/b/1"},
        **kw,
    )


def test_the_request_stores_references_and_runs_no_lookup(booking):
    f.UserFactory(email="someone@example.com")
    with CaptureQueriesContext(connection) as queries:
        row = queue(booking, "someone@example.com", deliver=False)
    # The duplicate check and the insert (in a savepoint); no recipient or preference lookup,
    # no rendering.
    tables = [q["sql"].split(" FROM ")[-1].split()[0] for q in queries if "SELECT" in q["sql"]]
    assert tables == ['"notifications_notification"']
    row.refresh_from_db()
    assert (row.subject, row.body_text, row.user, row.language) == ("", "", None, "")
    assert row.context["booking"] == {"model": "bookings.booking", "pk": booking.pk}
    assert not row.is_written


def test_the_worker_writes_it_in_the_recipients_language(
    booking, django_capture_on_commit_callbacks
):
    reader = f.UserFactory(email="reader@example.com", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        row = queue(booking, "READER@example.com")
    row.refresh_from_db()
    assert row.state == Notification.State.SENT and row.is_written
    assert (row.user, row.language) == (reader, "en")
    assert row.subject == f"New booking request: {booking.offer.title} from {booking.school.name}"
    assert booking.classes in row.body_text and row.body_html
    assert [m.subject for m in mail.outbox] == [row.subject]


def test_danish_without_an_account(booking, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue(booking, "nobody@example.com")
    row.refresh_from_db()
    assert row.language == "da" and row.subject.startswith("Ny bookingforespørgsel")


def test_a_deleted_object_is_skipped_with_a_reason(booking, django_capture_on_commit_callbacks):
    row = queue(booking, "someone@example.com", deliver=False)
    Booking.objects.filter(pk=booking.pk).delete()
    sent, failures = services.claim_and_send([row.pk])
    row.refresh_from_db()
    assert (sent, failures) == (0, [])
    assert row.state == Notification.State.SKIPPED and "deleted" in row.last_error
    assert mail.outbox == []


def test_a_kind_turned_off_is_skipped_when_written(booking):
    reader = f.UserFactory(email="reader@example.com")
    row = services.notify(
        kind="screening.digest",
        key="later-digest",
        to_email=reader.email,
        template="digest_submissions",
        context={"recipient_name": "Ida", "municipality": "Helsingør"},
        deliver=False,
    )
    services.set_preference(reader, "screening.digest", False)
    services.claim_and_send([row.pk])
    row.refresh_from_db()
    assert row.state == Notification.State.SKIPPED and row.last_error == services.TURNED_OFF
    assert mail.outbox == []


def test_a_template_error_fails_the_row_for_an_operator(booking):
    row = services.notify(
        kind="booking.requested",
        key="later-broken",
        to_email="someone@example.com",
        template="no_such_template",
        context={},
        deliver=False,
    )
    sent, failures = services.claim_and_send([row.pk])
    row.refresh_from_db()
    assert sent == 0 and [pk for pk, _exc in failures] == [row.pk]
    assert row.state == Notification.State.FAILED and row.attempts == services.MAX_ATTEMPTS
    assert "TemplateDoesNotExist" in row.last_error


def test_what_cannot_wait_is_refused_at_once(booking):
    """A lazy label would be turned into text in the request's language: refused."""
    with pytest.raises(TypeError, match="state_label"):
        services.notify(
            kind="booking.requested",
            key="later-lazy",
            to_email="someone@example.com",
            template="booking_requested",
            context={"booking": booking, "state_label": gettext_lazy("Requested")},
        )


def test_a_booking_request_mails_the_association_through_the_worker(
    client, teacher, school, association, django_capture_on_commit_callbacks
):
    offer = f.OfferFactory(association=association, published=True, on_request=True)
    client.force_login(teacher)
    data = request_form(school, teacher, classes="5.A", grade=5, pupils=20, sessions=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:book_offer", args=[offer.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    (message,) = mail.outbox
    assert message.to == [association.contact_email]
    assert offer.title in message.subject and "5.A" in message.body


def test_a_database_error_while_writing_leaves_the_row_to_the_sweeper(booking, monkeypatch):
    """The database is the edge here: it fails for a moment while the worker writes."""
    from django.db import OperationalError

    row = queue(booking, "someone@example.com", deliver=False)

    def unavailable(_stored):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(email_context, "load", unavailable)
    with pytest.raises(OperationalError):
        services.claim_and_send([row.pk])
    row.refresh_from_db()
    # Still claimed, attempts left: retry_queued picks it up when its lease runs out.
    assert row.state == Notification.State.SENDING and row.attempts == 1
    assert mail.outbox == []


def test_dates_numbers_and_lists_of_objects_wait_as_json(booking, school):
    moment = timezone.now().replace(microsecond=0)
    other = f.SchoolFactory(municipality=school.municipality)
    context = {
        "on": date(2026, 6, 5),
        "at": moment,
        "amount": Decimal("1250.50"),
        "won": True,
        "week": 23,
        "share": 0.5,
        "state": BookingState.CONFIRMED,
        "schools": [school, other, "and more"],
        "booking": booking,
        "nothing": None,
    }
    stored = email_context.store(context)
    assert stored["state"] == "confirmed" and type(stored["state"]) is str
    assert stored["on"] == {"date": "2026-06-05"}
    assert email_context.load(stored) == {**context, "state": "confirmed"}
    # An object deleted from a list is left out (a digest goes out without it); a single
    # object deleted stops the e-mail.
    other.delete()
    assert email_context.load(stored)["schools"] == [school, "and more"]
    Booking.objects.filter(pk=booking.pk).delete()
    with pytest.raises(Booking.DoesNotExist):
        email_context.load(stored)


@pytest.mark.parametrize("value", [{"a": 1}, {1, 2}, object(), Booking()])
def test_only_what_means_the_same_later_can_wait(value):
    with pytest.raises(TypeError, match="'v' cannot wait"):
        email_context.store({"v": value})


def test_a_state_label_is_written_in_each_recipients_language(
    booking, teacher, django_capture_on_commit_callbacks
):
    """The request is Danish; the teacher reads English, the association (no account) Danish."""
    teacher.language = "en"
    teacher.save(update_fields=["language"])
    with translation.override("da"), django_capture_on_commit_callbacks(execute=True):
        notify_both(booking, "cancel")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[teacher.email] == f"Booking of {booking.offer.title}: Requested"
    association_email = booking.offer.association.contact_email
    assert subjects[association_email] == f"Booking af {booking.offer.title}: Forespurgt"
