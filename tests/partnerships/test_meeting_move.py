"""A planned status meeting gets a new time or place: each participant hears it once with
the meeting for their calendar, what was queued for the old time is not sent, and only the
municipality's consultant may move it, before it begins."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from notifications.models import Notification
from partnerships import meeting_services as services
from partnerships.meetings import StatusMeeting
from tests.outbox import written

from .test_meetings import schedule

pytestmark = pytest.mark.django_db


def later(meeting, days=2):
    return meeting.starts_at + timedelta(days=days), meeting.ends_at + timedelta(days=days)


def daytime(days):
    """10:00–12:00 local time in some days: the form names one day, so the meeting must not
    cross midnight whatever the hour the test runs at."""
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    starts += timedelta(days=days)
    return starts, starts + timedelta(hours=2)


def test_each_participant_hears_of_the_move_once_with_the_updated_event(
    partnership, consultant, django_capture_on_commit_callbacks
):
    meeting = schedule(partnership)
    invitation = Notification.objects.filter(kind=services.INVITATION).first()
    starts, ends = later(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.move(meeting, starts_at=starts, ends_at=ends, place="Biblioteket", by=consultant)
    assert services.meeting_still_wanted(invitation) == "the meeting moved"
    moved = Notification.objects.filter(kind=services.MOVED)
    assert moved.count() == meeting.participants.exclude(email="").count() == 2
    message = next(m for m in mail.outbox if "flyttet" in m.subject.lower())
    (vevent,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert str(vevent["uid"]) == f"status-meeting-{meeting.pk}@aabenskole"
    assert vevent.decoded("dtstart") == starts and str(vevent["location"]) == "Biblioteket"
    assert vevent["sequence"] == 1  # newer than the invitation's event (0)
    text = written(moved.first()).body_text
    assert "Biblioteket" in text
    # The same change again (a second click): nothing new.
    services.move(meeting, starts_at=starts, ends_at=ends, place="Biblioteket", by=consultant)
    assert moved.count() == 2
    # Moved back: told again, with the new facts.
    services.move(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at, place="Rådhuset")
    assert moved.count() == 4
    # And to the library once more: a time and place told before are told again.
    services.move(meeting, starts_at=starts, ends_at=ends, place="Biblioteket", by=consultant)
    assert moved.count() == 6


def test_a_cancelled_a_begun_or_a_past_time_is_refused(partnership, consultant):
    meeting = schedule(partnership)
    with pytest.raises(ValidationError):
        services.move(
            meeting, starts_at=meeting.ends_at, ends_at=meeting.starts_at, place="Rådhuset"
        )
    past = timezone.now() - timedelta(days=1)
    with pytest.raises(ValidationError):
        services.move(meeting, starts_at=past, ends_at=past + timedelta(hours=1), place="X")
    begun = schedule(partnership, days=-1)
    starts, ends = later(begun, days=5)
    with pytest.raises(ValidationError):
        services.move(begun, starts_at=starts, ends_at=ends, place="X")
    services.cancel(meeting, by=consultant)
    starts, ends = later(meeting)
    with pytest.raises(ValidationError):
        services.move(meeting, starts_at=starts, ends_at=ends, place="X")
    assert not Notification.objects.filter(kind=services.MOVED).exists()


def form(starts, ends, place="Biblioteket"):
    local_start, local_end = timezone.localtime(starts), timezone.localtime(ends)
    return {
        "move-day": local_start.date().isoformat(),
        "move-starts": local_start.strftime("%H:%M"),
        "move-ends": local_end.strftime("%H:%M"),
        "move-place": place,
    }


def test_the_consultant_moves_it_on_its_page(
    client, consultant, other_consultant, association_member, partnership
):
    meeting = schedule(partnership)
    url = reverse("partnerships:meeting_move", args=[meeting.pk])
    starts, ends = daytime(days=13)
    for stranger in (other_consultant, association_member):
        client.force_login(stranger)
        assert client.post(url, form(starts, ends)).status_code == 404
    client.force_login(consultant)
    page = client.get(reverse("partnerships:meeting", args=[meeting.pk])).content.decode()
    assert url in page and 'name="move-place"' in page
    bad = client.post(url, form(ends, starts))
    assert (
        bad.status_code == 400 and "Mødet skal slutte, efter det begynder." in bad.content.decode()
    )
    assert client.post(url, {**form(starts, ends), "move-day": "9999-99-99"}).status_code == 400
    assert client.post(url, {**form(starts, ends), "move-place": "a\x00b"}).status_code == 400
    response = client.post(url, form(starts, ends), follow=True)
    assert "Mødet er flyttet." in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place) == (starts.replace(second=0), "Biblioteket")
    assert meeting.state == StatusMeeting.State.PLANNED
    moved = Notification.objects.filter(kind=services.MOVED)
    assert moved.count() == meeting.participants.exclude(email="").count() > 0
    assert {services.meeting_still_wanted(n) for n in moved} == {""}


def test_sending_the_form_unchanged_tells_nobody_and_says_so(client, consultant, partnership):
    starts, ends = daytime(days=13)
    meeting = schedule(partnership)
    meeting.starts_at, meeting.ends_at, meeting.place = starts, ends, "Rådhuset"
    meeting.save()
    url = reverse("partnerships:meeting_move", args=[meeting.pk])
    client.force_login(consultant)
    page = client.get(reverse("partnerships:meeting", args=[meeting.pk])).content.decode()
    assert 'name="move-sequence" value="0"' in page
    shown = {**form(starts, ends, "Rådhuset"), "move-sequence": "0"}
    response = client.post(url, shown, follow=True)
    assert "Intet er ændret" in response.content.decode()
    assert not Notification.objects.filter(kind=services.MOVED).exists()
    # A move, then the same form again (a second click): the move's answer, told once.
    moved = {**form(starts + timedelta(days=1), ends + timedelta(days=1)), "move-sequence": "0"}
    client.post(url, moved)
    response = client.post(url, moved, follow=True)
    page = response.content.decode()
    assert page.count("Mødet er flyttet.") == 1 and "Intet er ændret" not in page
    assert Notification.objects.filter(kind=services.MOVED).count() > 0
    assert client.post(url, {**moved, "move-sequence": "-1"}).status_code == 400
