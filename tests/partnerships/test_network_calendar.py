"""A network meeting or open event reaches the participants' calendars: its e-mails carry it
as an .ics file (a cancellation's file removes it), and its page offers it for download to
whoever may see the page."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from partnerships.network import services

from .network_helpers import make_event

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave when a change commits


def ics_of(message) -> str:
    (name, body, content_type) = message.attachments[0]
    assert name.endswith(".ics") and content_type.startswith("text/calendar")
    return body.decode() if isinstance(body, bytes) else body


def test_the_invitation_and_the_cancellation_carry_the_event(municipality, partnership):
    event = make_event(municipality, title="Temamøde om frivillige", place="Kulturværftet")
    services.invite(event, [partnership])
    assert [m.to[0] for m in mail.outbox] == [partnership.resource_email]
    cal = Calendar.from_ical(ics_of(mail.outbox[0]))
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["uid"]) == f"network-event-{event.pk}@aabenskole"
    assert str(vevent["summary"]) == "Temamøde om frivillige"
    assert str(vevent["location"]) == "Kulturværftet"
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert str(vevent["status"]) == "CONFIRMED" and vevent["sequence"] == 0
    mail.outbox.clear()
    services.cancel_event(event)
    body = ics_of(mail.outbox[0])
    assert "STATUS:CANCELLED" in body and f"network-event-{event.pk}@aabenskole" in body
    assert "SEQUENCE:1" in body


def test_the_page_offers_the_event_to_those_who_may_see_it(
    client, municipality, partnership, association_member, other_association_admin
):
    event = make_event(municipality, title="Netværksmøde for ressourcepersoner")
    services.invite(event, [partnership])
    ics_url = reverse("partnerships:event_ics", args=[event.pk])
    assert client.get(ics_url).status_code == 302  # to the log-in page
    client.force_login(other_association_admin)  # not invited
    assert client.get(ics_url).status_code == 404
    client.force_login(association_member)
    assert ics_url in client.get(event.get_absolute_url()).content.decode()
    response = client.get(ics_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "Netværksmøde for ressourcepersoner" in response.content.decode()
    services.cancel_event(event)
    assert ics_url not in client.get(event.get_absolute_url()).content.decode()
