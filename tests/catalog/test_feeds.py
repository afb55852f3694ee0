from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_atom_feed_of_newly_approved_offers(client, municipality, make_offer, other_municipality):
    make_offer(title="Ældre", approved_at=timezone.now() - timedelta(days=5))
    make_offer(title="Nyeste")
    f.OfferFactory(
        association=f.AssociationFactory(municipalities=[other_municipality]),
        published=True,
        title="Andet sted",
    )
    response = client.get(reverse("catalog:offer_feed", args=[municipality.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.index("Nyeste") < body.index("Ældre")
    assert "Andet sted" not in body
    assert "public" in response["Cache-Control"]


def test_atom_feed_unknown_municipality(client):
    assert client.get(reverse("catalog:offer_feed", args=["nowhere"])).status_code == 404


def test_ical_feed_of_upcoming_fixed_dates_is_valid(client, municipality, association):
    offer = f.OfferFactory(
        association=association, published=True, on_request=False, title="Idrætsdag"
    )
    upcoming = f.OccasionFactory(offer=offer, place="Idrætsparken")
    f.OccasionFactory(offer=offer, starts_at=timezone.now() - timedelta(days=1))
    f.OccasionFactory(offer=offer, is_cancelled=True)
    draft = f.OfferFactory(association=association, on_request=False)
    f.OccasionFactory(offer=draft)
    response = client.get(reverse("catalog:occasion_calendar", args=[municipality.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]).startswith(f"occasion-{upcoming.pk}@")
    assert "Idrætsdag" in str(event["summary"])
    assert str(event["location"]) == "Idrætsparken"
    assert event.decoded("dtstart") == upcoming.starts_at.replace(microsecond=0)
    assert event["dtstamp"]
    assert event["dtend"].dt > event["dtstart"].dt
