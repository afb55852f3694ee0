"""A visit to an address that only takes a form (the login's "next" after a session ran out,
a bookmark) gets a page with a way on, not an empty 405 (portal.middleware)."""

import pytest
from django.urls import reverse

from portal.middleware import nearest_page
from tests import factories as f
from tests.bookings.conftest import make_booking, school_day

pytestmark = pytest.mark.django_db


def test_nearest_page_walks_up_to_an_address_the_site_knows():
    assert nearest_page("/bookings/12/confirm/") == "/bookings/12/"
    assert nearest_page("/association/kajak/plans/5/add/goal/") == "/association/kajak/plans/5/"
    assert nearest_page("/nothing-here/at-all/") == ""


def test_a_visit_to_a_form_only_address_leads_on_to_its_page(client, municipality):
    association = f.AssociationFactory(municipalities=[municipality])
    member = f.AssociationMembershipFactory(association=association, role="admin").user
    offer = f.OfferFactory(association=association, published=True)
    start = school_day(20)
    occasion = f.OccasionFactory(offer=offer, starts_at=start, ends_at=start.replace(hour=14))
    school = f.SchoolFactory(municipality=municipality)
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    booking = make_booking(teacher, school, offer, occasion, grade=offer.grade_min)
    client.force_login(member)
    response = client.get(reverse("bookings:action", args=[booking.pk, "confirm"]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"]
    page = response.content.decode()
    assert "Denne adresse tager imod en formular" in page
    assert f'href="/bookings/{booking.pk}/"' in page and "Gå til siden" in page
    assert client.head(reverse("bookings:action", args=[booking.pk, "confirm"])).status_code == 405
    booking.refresh_from_db()
    assert booking.state == "requested"  # a visit changes nothing


def test_a_post_to_an_address_for_visits_is_still_a_plain_405(client):
    """Only visits get the page: a form sent to a link-only address is the bare 405."""
    response = client.post(reverse("switch_language", args=["da"]))
    assert response.status_code == 405 and response.content == b""
