"""The demo's network meeting (with a waiting list) and open knowledge-sharing event."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from devdata.demo.data import ASSOCIATION_MEMBERS, SCHOOL_STAFF


@pytest.mark.django_db
def test_demo_has_a_network_meeting_with_a_waiting_list_and_an_open_event(client):
    from accounts.models import User
    from notifications.models import Notification
    from partnerships.network.models import NetworkEvent

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    meeting = NetworkEvent.objects.get(kind="network")
    assert meeting.invitations.count() == 2  # both partnerships
    assert sorted(meeting.registrations.values_list("state", flat=True)) == [
        "confirmed",
        "waiting",
    ]
    assert Notification.objects.filter(kind="partnerships.event_invitation").count() == 2
    knowledge = NetworkEvent.objects.get(kind="knowledge")
    assert knowledge.is_open and knowledge.registrations.count() == 1
    assert list(NetworkEvent.objects.upcoming_open(knowledge.municipality)) == [knowledge]

    client.force_login(User.objects.get(email=ASSOCIATION_MEMBERS[0][0]))
    page = client.get(reverse("partnerships:events"), HTTP_ACCEPT_LANGUAGE="da")
    assert list(page.context["upcoming"]) == [meeting, knowledge]
    client.force_login(User.objects.get(email=SCHOOL_STAFF[1][0]))  # the waiting school
    page = client.get(reverse("partnerships:event", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "On the waiting list" in page.content.decode()
