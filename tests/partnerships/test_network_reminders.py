"""Those signed up with a seat for a network meeting or open event are reminded before it by
their municipality's rule (two days by default), once, with the event for their calendar; a
cancelled event, a moved one or a seat given up stops the reminder."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification, ReminderRule
from partnerships.network import services
from partnerships.tasks import scan_meeting_reminders

from .network_helpers import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(municipality):
    # Two days ahead by the local calendar, at noon: not past midnight whatever the hour now.
    start = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    start += timedelta(days=2)
    return make_event(
        municipality,
        title="Videndeling om friluftsliv",
        audience="open",
        capacity=3,
        starts_at=start,
    )


def test_the_default_rule_reminds_each_seat_once_with_the_event(
    event, municipality, school, teacher, association, association_member
):
    assert ReminderRule.objects.filter(
        municipality=municipality, kind=ReminderRule.Kind.NETWORK, days=2
    ).exists()
    services.register(event, school, user=teacher, participants=2)
    services.register(event, association, user=association_member, participants=2)  # waits
    assert scan_meeting_reminders() == 1
    assert [m.to[0] for m in mail.outbox] == [teacher.email]
    message = mail.outbox[0]
    assert "Videndeling om friluftsliv" in message.subject
    assert "2 dage" in message.body and str(school) in message.body
    assert message.attachments[0][0].endswith(".ics")
    assert scan_meeting_reminders() == 0  # the beat runs hourly: nothing twice
    assert Notification.objects.filter(kind=services.REMINDER_KIND).count() == 1


def test_a_cancelled_or_moved_event_or_a_given_up_seat_is_not_reminded(
    event, school, teacher, municipality
):
    row = services.register(event, school, user=teacher, participants=1)
    services.queue_reminders(
        ReminderRule.objects.get(municipality=municipality, kind=ReminderRule.Kind.NETWORK),
        event,
        timezone.localdate(),
    )
    reminder = Notification.objects.get(kind=services.REMINDER_KIND)
    assert services.reminder_still_wanted(reminder) == ""
    services.cancel(row)
    assert services.reminder_still_wanted(reminder) == "the sign-up has no seat now"
    event.starts_at += timedelta(hours=1)
    event.save()
    assert services.reminder_still_wanted(reminder) == "the event moved"
    services.cancel_event(event)
    assert services.reminder_still_wanted(reminder) == "the event is cancelled"
