"""A consultant cancels a whole network meeting or open event: every sign-up ends, the
invited partners and those who signed up hear it once, the event leaves the lists of what is
coming, and nobody signs up or is invited to it again."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Notification
from partnerships.network import services
from partnerships.network.models import NetworkEvent, Registration
from tests.outbox import written

from .network_helpers import make_event

pytestmark = pytest.mark.django_db

ADMIN = "/admin/partnerships/networkevent/"
KIND = services.CANCELLED_KIND


def cancelled_emails():
    return sorted(Notification.objects.filter(kind=KIND).values_list("to_email", flat=True))


def test_cancelling_ends_every_sign_up_and_tells_each_person_once(
    municipality, partnership, association, school, association_member, teacher
):
    event = make_event(municipality, capacity=3, title="Temamøde om frivillige")
    services.invite(event, [partnership])
    seated = services.register(event, association, user=association_member, participants=3)
    waiting = services.register(event, school, user=teacher, participants=2)
    assert (seated.state, waiting.state) == ("confirmed", "waiting")

    sent = services.cancel_event(event)
    assert event.is_cancelled
    assert set(Registration.objects.values_list("state", flat=True)) == {"cancelled"}
    # The resource person (invited), the association's member and the teacher (signed up).
    assert cancelled_emails() == sorted(
        [partnership.resource_email, association_member.email, teacher.email]
    )
    assert sent == 3
    mail = written(Notification.objects.filter(kind=KIND).first())
    assert "Temamøde om frivillige" in mail.subject and event.get_absolute_url() in mail.body_text
    # A second click changes nothing and e-mails nobody.
    assert services.cancel_event(event) == 0
    assert len(cancelled_emails()) == 3
    # Nobody signs up or is invited again; no seat moves up.
    with pytest.raises(ValidationError):
        services.register(event, association, user=association_member, participants=1)
    assert services.invite(event, everyone=True) == 0
    assert not Notification.objects.filter(kind=services.PLACE_KIND).exists()


def test_a_cancelled_event_leaves_the_lists_and_its_page_says_so(
    client, municipality, school, teacher
):
    event = make_event(municipality, audience="open", title="Videndeling om friluftsliv")
    services.register(event, school, user=teacher, participants=2)
    assert list(NetworkEvent.objects.upcoming_open(municipality)) == [event]
    services.cancel_event(event)
    assert not NetworkEvent.objects.upcoming_open(municipality).exists()
    client.force_login(teacher)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "aflyst" in page and "sign-up/" not in page  # no sign-up form
    assert "Videndeling om friluftsliv" not in client.get("/school/").content.decode()
    response = client.post(event.get_absolute_url() + "sign-up/", {"party": f"school-{school.pk}"})
    assert response.status_code == 400  # refused
    assert not Registration.objects.filter(state__in=["confirmed", "waiting"]).exists()


def test_an_event_that_has_begun_cannot_be_cancelled(municipality):
    event = make_event(municipality, starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError):
        services.cancel_event(event)
    event.refresh_from_db()
    assert not event.is_cancelled


def test_the_consultant_cancels_from_the_admin_and_only_their_own(
    client, consultant, municipality, other_municipality, partnership
):
    mine = make_event(municipality)
    services.invite(mine, [partnership])
    theirs = make_event(other_municipality)
    client.force_login(consultant)
    response = client.post(
        ADMIN,
        {"action": "cancel_events", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.is_cancelled and not theirs.is_cancelled
    assert cancelled_emails() == [partnership.resource_email]
    # The event's history says who cancelled it.
    (entry,) = LogEntry.objects.filter(object_id=str(mine.pk))
    assert entry.user == consultant and entry.is_change()
    # The cancelled event is kept as it was: read-only in the admin.
    change = client.post(f"{ADMIN}{mine.pk}/change/", {"title": "Nyt navn"})
    assert change.status_code == 403
    assert NetworkEvent.objects.get(pk=mine.pk).title != "Nyt navn"
