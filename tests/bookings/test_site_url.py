"""Absolute links (e-mails, private calendar addresses, the events of an .ics feed) use
SITE_URL, the address the portal runs on. `make run PORT=8010` sets it to
http://127.0.0.1:8010 (scripts/run.py), so that the console e-mails' links open the running
demo; the worker that writes the e-mails has no request to ask."""

import pytest
from django.core import mail
from django.urls import reverse

from bookings import services

from .conftest import make_booking

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8010"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    return SITE


def test_booking_emails_link_to_the_site(
    site, teacher, school, occasion, association_admin, django_capture_on_commit_callbacks
):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        booking = make_booking(teacher, school, occasion.offer, occasion)
    assert mail.outbox, "the request is announced by e-mail"
    bodies = [m.body for m in mail.outbox]
    assert any(f"{site}/bookings/{booking.pk}/" in body for body in bodies)
    assert not any("127.0.0.1:8000" in body or "testserver" in body for body in bodies)


def test_calendar_addresses_and_feed_events_use_the_site(
    site, client, teacher, school, association, association_admin, booking
):
    school_feed = services.regenerate_feed(school=school)
    association_feed = services.regenerate_feed(association=association)
    client.force_login(teacher)
    page = client.get(reverse("bookings:my_school"), {"school": school.pk}).content.decode()
    assert f"{site}/calendar/{school_feed.token}.ics" in page
    client.force_login(association_admin)
    url = reverse("bookings:my_association_bookings", args=[association.pk])
    page = client.get(url).content.decode()
    assert f"{site}/calendar/{association_feed.token}.ics" in page
    ics = client.get(reverse("bookings:feed", args=[school_feed.token])).content.decode()
    assert f"{site}/bookings/{booking.pk}/" in ics.replace("\r\n ", "")  # unfolded lines
