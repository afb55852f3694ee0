"""A consultant gives a network meeting a new time or place in the admin: the invited
partners and those who signed up hear it once, with the meeting updated in their calendars;
sign-ups stand; nothing queued for the old time is sent; a meeting that has begun keeps its
time."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from notifications.models import Notification
from partnerships.network import services
from partnerships.network.models import NetworkEvent, Registration
from portal.templatetags.portal_format import local_date
from tests import factories as f
from tests.bookings.conftest import run_concurrently
from tests.outbox import written

from .network_helpers import make_event
from .test_network_calendar import ics_of

pytestmark = pytest.mark.django_db

ADMIN = "/admin/partnerships/networkevent/"
KIND = services.MOVED_KIND


def change_data(event, **fields) -> dict:
    """The admin's change form for ``event`` as it stands, with ``fields`` changed (times
    as the form's datetime-local inputs write them)."""
    local = timezone.localtime
    data = {
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "starts_at": local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": event.place,
        "capacity": str(event.capacity),
        "audience": event.audience,
        "summary": event.summary,
    }
    rows = list(event.registrations.order_by("state", "created_at", "id"))
    data.update(
        {
            "registrations-TOTAL_FORMS": str(len(rows)),
            "registrations-INITIAL_FORMS": str(len(rows)),
            "registrations-MIN_NUM_FORMS": "0",
            "registrations-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(rows):
        data[f"registrations-{i}-id"] = str(row.pk)
        data[f"registrations-{i}-event"] = str(event.pk)
    data.update(fields)
    return data


def at(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def moved_to() -> list[str]:
    return sorted(Notification.objects.filter(kind=KIND).values_list("to_email", flat=True))


@pytest.fixture
def signed_up(municipality, partnership, association, school, association_member, teacher):
    """A meeting of 3 seats: a partner invited, an association seated, a school waiting."""
    event = make_event(
        municipality, capacity=3, title="Temamøde om frivillige", place="Kulturværftet"
    )
    services.invite(event, [partnership])
    services.register(event, association, user=association_member, participants=3)
    services.register(event, school, user=teacher, participants=2)
    return event


def test_a_new_time_reaches_everyone_once_with_the_calendar_updated(
    client,
    consultant,
    signed_up,
    partnership,
    association_member,
    teacher,
    django_capture_on_commit_callbacks,
):
    event = signed_up
    old_start = event.starts_at
    new_start = (old_start + timedelta(days=7)).replace(second=0, microsecond=0)
    mail.outbox.clear()
    client.force_login(consultant)
    change = f"{ADMIN}{event.pk}/change/"
    data = change_data(
        event, starts_at=at(new_start), ends_at=at(new_start + timedelta(hours=2)), place="Rådhuset"
    )
    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave on commit
        response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "sendt på e-mail til 3 personer" in client.get(response["Location"]).content.decode()

    event.refresh_from_db()
    assert (event.starts_at, event.place, event.sequence) == (new_start, "Rådhuset", 1)
    expected = sorted([partnership.resource_email, association_member.email, teacher.email])
    assert moved_to() == expected
    assert sorted(m.to[0] for m in mail.outbox) == expected
    message = next(m for m in mail.outbox if m.to[0] == teacher.email)
    assert "Temamøde om frivillige" in message.subject and "Rådhuset" in message.body
    new_end = timezone.localtime(new_start + timedelta(hours=2))
    assert (
        f"{local_date(timezone.localtime(new_start), 'WEEKDAY_DATETIME_FORMAT')}–" in message.body
    )
    assert f"–{new_end:%H:%M}" in message.body
    assert "afmeld jer i portalen" in message.body  # a user signs up and cancels in the portal
    (vevent,) = Calendar.from_ical(ics_of(message)).walk("VEVENT")
    assert vevent.decoded("dtstart") == new_start and vevent["sequence"] == 1
    assert str(vevent["location"]) == "Rådhuset"
    # The sign-ups stand.
    states = sorted(Registration.objects.values_list("state", flat=True))
    assert states == ["confirmed", "waiting"]

    # The same form sent again (a second click) changes nothing and e-mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, data).status_code == 302
    assert len(moved_to()) == 3 and len(mail.outbox) == 3
    event.refresh_from_db()
    assert event.sequence == 1


def test_only_the_latest_move_is_sent(municipality, signed_up, teacher):
    event = signed_up
    first = event.starts_at
    for days in (1, 2):
        start = first + timedelta(days=days)
        services.move(event, starts_at=start, ends_at=start + timedelta(hours=2), place="Rådhuset")
    rows = Notification.objects.filter(kind=KIND, to_email=teacher.email).order_by("pk")
    earlier, latest = list(rows)
    assert services.moved_still_wanted(earlier) == "the event moved again"
    assert services.moved_still_wanted(latest) == ""
    assert written(latest).subject  # it reads as written for the recipient
    services.cancel_event(event)
    assert services.moved_still_wanted(latest) == "the event is cancelled"


def test_the_same_time_again_is_no_move(municipality, signed_up):
    """As the second of two clicks finds it, under the event's lock."""
    event = signed_up
    start = event.starts_at + timedelta(days=1)
    new = {"starts_at": start, "ends_at": start + timedelta(hours=2), "place": event.place}
    assert services.move(event, **new) == 3
    assert services.move(NetworkEvent.objects.get(pk=event.pk), **new) == 0
    assert Notification.objects.filter(kind=KIND).count() == 3
    assert NetworkEvent.objects.get(pk=event.pk).sequence == 1


def test_a_new_end_alone_is_a_move(municipality, signed_up):
    event = signed_up
    later_end = event.ends_at + timedelta(hours=1)
    sent = services.move(event, starts_at=event.starts_at, ends_at=later_end, place=event.place)
    assert sent == 3
    email = written(Notification.objects.filter(kind=KIND).first())
    assert f"–{timezone.localtime(later_end):%H:%M}" in email.body_text


def test_a_leisure_institution_is_told_to_answer_its_contact(
    municipality, consultant, club, django_capture_on_commit_callbacks
):
    from .conftest import make_partnership

    partnership = make_partnership(
        municipality, consultant, institution=club, resource_email="klub@example.org"
    )
    event = make_event(municipality)
    services.invite(event, [partnership])
    start = event.starts_at + timedelta(days=1)
    services.move(event, starts_at=start, ends_at=start + timedelta(hours=2), place="Klubhuset")
    (row,) = Notification.objects.filter(kind=KIND)
    email = written(row)
    assert row.to_email == "klub@example.org"
    assert consultant.email in email.body_text and "afmeld jer i portalen" not in email.body_text


@pytest.mark.django_db(transaction=True)  # the e-mails leave when the changes commit
def test_the_calendar_follows_a_move_and_then_the_cancellation(municipality, partnership):
    event = make_event(municipality)
    services.invite(event, [partnership])
    start = event.starts_at + timedelta(days=1)
    mail.outbox.clear()
    services.move(event, starts_at=start, ends_at=start + timedelta(hours=2), place="Rådhuset")
    services.cancel_event(event)
    moved, cancelled = (ics_of(message) for message in mail.outbox)
    assert "SEQUENCE:1" in moved and "STATUS:CONFIRMED" in moved
    assert "SEQUENCE:2" in cancelled and "STATUS:CANCELLED" in cancelled


def test_a_partner_invited_in_the_same_save_gets_the_invitation_only(
    client, consultant, municipality, partnership
):
    event = make_event(municipality)
    client.force_login(consultant)
    later = event.starts_at + timedelta(days=3)
    data = change_data(
        event,
        starts_at=at(later),
        ends_at=at(later + timedelta(hours=1)),
        invite=[str(partnership.pk)],
    )
    assert client.post(f"{ADMIN}{event.pk}/change/", data).status_code == 302
    assert not Notification.objects.filter(kind=KIND).exists()
    invitations = Notification.objects.filter(kind=services.INVITATION_KIND)
    assert list(invitations.values_list("to_email", flat=True)) == [partnership.resource_email]


def test_other_changes_tell_nobody(client, consultant, signed_up):
    """Also when the form writes the times to the minute and the event had seconds."""
    signed_up.starts_at = signed_up.starts_at.replace(second=42)
    signed_up.save()
    client.force_login(consultant)
    data = change_data(signed_up, title="Temamøde om frivillige i foreninger", capacity="4")
    assert client.post(f"{ADMIN}{signed_up.pk}/change/", data).status_code == 302
    signed_up.refresh_from_db()
    assert signed_up.capacity == 4 and signed_up.sequence == 0
    assert not Notification.objects.filter(kind=KIND).exists()


def test_a_meeting_that_has_begun_keeps_its_time(client, consultant, municipality, partnership):
    event = make_event(municipality, starts_at=timezone.now() - timedelta(minutes=10))
    services.invite(event, [partnership])
    client.force_login(consultant)
    later = timezone.now() + timedelta(days=2)
    data = change_data(event, starts_at=at(later), ends_at=at(later + timedelta(hours=2)))
    response = client.post(f"{ADMIN}{event.pk}/change/", data)
    assert response.status_code == 200
    assert "begyndt" in str(response.context["adminform"].form.non_field_errors())
    assert NetworkEvent.objects.get(pk=event.pk).starts_at == event.starts_at
    assert not Notification.objects.filter(kind=KIND).exists()


def test_a_meeting_is_not_moved_into_the_past(client, consultant, municipality):
    event = make_event(municipality)
    client.force_login(consultant)
    earlier = timezone.now() - timedelta(days=1)
    data = change_data(event, starts_at=at(earlier), ends_at=at(earlier + timedelta(hours=2)))
    response = client.post(f"{ADMIN}{event.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"]
    assert NetworkEvent.objects.get(pk=event.pk).starts_at == event.starts_at


def test_a_reminder_queued_for_the_old_time_is_not_sent(municipality, signed_up):
    event = signed_up
    reminder = Notification.objects.create(
        key="test-reminder",
        kind=services.REMINDER_KIND,
        to_email="someone@example.org",
        guard={
            "event": event.pk,
            "on": services.rules.instant(event.starts_at),
            "registration": event.registrations.filter(state="confirmed").get().pk,
        },
    )
    assert services.reminder_still_wanted(reminder) == ""
    start = event.starts_at + timedelta(days=1)
    services.move(event, starts_at=start, ends_at=start + timedelta(hours=2), place=event.place)
    assert services.reminder_still_wanted(reminder) == "the event moved"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_the_same_moment_moves_and_tells_once():
    municipality = f.MunicipalityFactory()
    event = make_event(municipality)
    member = f.AssociationMembershipFactory(association__municipalities=[municipality])
    services.register(event, member.association, user=member.user, participants=2)
    start = (event.starts_at + timedelta(days=1)).replace(second=0, microsecond=0)

    def work(_i):
        return services.move(
            NetworkEvent.objects.get(pk=event.pk),
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Rådhuset",
        )

    assert sorted(run_concurrently(4, work)) == [0, 0, 0, 1]
    assert list(Notification.objects.filter(kind=KIND).values_list("to_email", flat=True)) == [
        member.user.email
    ]
    assert NetworkEvent.objects.get(pk=event.pk).sequence == 1


def _admin_form(consultant, event, **fields):
    """The admin's change form for ``event``, checked, and a request to save it with: as a
    save finds the row after another request changed it meanwhile."""
    from django.contrib.admin.sites import site
    from django.contrib.messages.middleware import MessageMiddleware
    from django.test import RequestFactory

    from partnerships.network.admin import NetworkEventAdmin

    request = RequestFactory().post("/")
    request.user, request.session = consultant, {}
    MessageMiddleware(lambda _request: None).process_request(request)
    model_admin = NetworkEventAdmin(NetworkEvent, site)
    form_class = model_admin.get_form(request, event, change=True)
    form = form_class(change_data(event, **fields), instance=event)
    assert form.is_valid(), form.errors
    return model_admin, request, form


def test_a_cancellation_meanwhile_is_not_undone_by_a_move(consultant, signed_up):
    event = NetworkEvent.objects.get(pk=signed_up.pk)
    later = event.starts_at + timedelta(days=2)
    model_admin, request, form = _admin_form(
        consultant, event, starts_at=at(later), ends_at=at(later + timedelta(hours=2))
    )
    services.cancel_event(NetworkEvent.objects.get(pk=event.pk))  # another request
    model_admin.save_model(request, form.instance, form, change=True)
    event.refresh_from_db()
    assert event.is_cancelled and event.starts_at == signed_up.starts_at
    assert not Notification.objects.filter(kind=KIND).exists()


def test_an_edit_meanwhile_does_not_undo_a_move(consultant, signed_up, teacher):
    event = NetworkEvent.objects.get(pk=signed_up.pk)
    model_admin, request, form = _admin_form(consultant, event, title="Nyt navn")
    start = (event.starts_at + timedelta(days=2)).replace(second=0, microsecond=0)
    end = start + timedelta(hours=2)
    services.move(
        NetworkEvent.objects.get(pk=event.pk), starts_at=start, ends_at=end, place="Hal 2"
    )
    model_admin.save_model(request, form.instance, form, change=True)
    event.refresh_from_db()
    assert (event.title, event.starts_at, event.place, event.sequence) == (
        "Nyt navn",
        start,
        "Hal 2",
        1,
    )
    # The next move is a new one, told again.
    services.move(
        event, starts_at=start + timedelta(days=1), ends_at=end + timedelta(days=1), place="Hal 2"
    )
    assert Notification.objects.filter(kind=KIND, to_email=teacher.email).count() == 2
