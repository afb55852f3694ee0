"""Booking pages, "My school" and the pool write amounts with thousands separators, single
grades as "4. klassetrin" / "grade 4", and dates in the visitor's language."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from bookings.models import SubsidyPool
from bookings.schoolyear import school_year_of
from schools.models import SchoolEvent
from tests import factories as f

from .conftest import make_booking, request_form, school_day

pytestmark = pytest.mark.django_db


def _get(client, url, lang="da", **kwargs):
    client.cookies["portal_language"] = lang
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def _post(client, url, data, lang="da"):
    client.cookies["portal_language"] = lang
    return client.post(url, data).content.decode()


def test_booking_form_price_estimate(client, teacher, school, hourly_offer):
    url = reverse("bookings:book_offer", args=[hourly_offer.slug])
    client.force_login(teacher)
    data = request_form(school, teacher, calculate="1")
    html = _post(client, url, data)
    assert "Forventet pris for denne booking: 1.800 kr." in html
    assert ": 300 kr." in html and "300,00" not in html
    html = _post(client, url, data, "en")
    assert "Expected price for this booking: 1,800 DKK" in html and "1800.00" not in html


@pytest.fixture
def priced_booking(teacher, school, association):
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=False,
        price_model="per_class",
        price_amount=Decimal("1500.00"),
    )
    start = school_day(30)
    occasion = f.OccasionFactory(offer=offer, starts_at=start, ends_at=start + timedelta(hours=2))
    return make_booking(teacher, school, offer, occasion, grade=4)


def test_booking_detail_price_grade_and_dates(client, teacher, priced_booking):
    client.force_login(teacher)
    url = reverse("bookings:detail", args=[priced_booking.pk])
    start = timezone.localtime(priced_booking.starts_at)
    html = _get(client, url)
    assert "1.500 kr." in html and "1500,00" not in html
    assert "(4. klassetrin)" in html
    with translation.override("da"):
        assert date_filter(start, "l j. F Y H:i") in html  # Danish unchanged
    html = _get(client, url, "en")
    assert "1,500 DKK" in html and "(grade 4)" in html
    assert f"{start:%A}, {start.day} {start:%B %Y %H:%M}" in html
    assert f"{start.day}. {start:%B}" not in html


def test_pool_page_amounts(client, consultant, municipality):
    SubsidyPool.objects.create(
        municipality=municipality,
        school_year=2026,
        amount=Decimal("400000"),
        max_hourly_rate=Decimal("250.50"),
    )
    client.force_login(consultant)
    html = _get(client, reverse("bookings:pool"))
    # Written for people; only the amount form's number field holds the machine's figure.
    assert "<td>400.000</td>" in html and "400000" not in re.sub(r'value="[^"]*"', "", html)
    assert "250,50 kr." in html
    html = _get(client, reverse("bookings:pool"), "en")
    assert "<td>400,000</td>" in html and "250.50 DKK" in html


def _event(school, teacher, grade_min, grade_max):
    day = timezone.localdate() + timedelta(days=40)
    return SchoolEvent.objects.create(
        school=school,
        title="Idrætsdag",
        starts_on=day,
        ends_on=day,
        grade_min=grade_min,
        grade_max=grade_max,
        created_by=teacher,
    )


def test_my_school_pool_figures_grades_and_dates(client, teacher, school, municipality):
    SubsidyPool.objects.create(
        municipality=municipality,
        school_year=school_year_of(timezone.localdate()),
        amount=Decimal("38650"),
    )
    event = _event(school, teacher, 4, 4)
    _event(school, teacher, 4, 6)
    client.force_login(teacher)
    url = reverse("bookings:my_school")
    html = _get(client, url)
    assert "Reserveret: 0 kr." in html and "38.650 kr." in html and "38650" not in html
    assert "· 4. klassetrin" in html and "· 4.–6. klassetrin" in html and "4.–4." not in html
    day = event.starts_on
    with translation.override("da"):
        assert date_filter(day, "j. F Y") in html  # Danish unchanged
    html = _get(client, url, "en")
    assert "38,650 DKK" in html
    assert "· grade 4" in html and "· grades 4–6" in html
    assert f"{day.day} {day:%B %Y}" in html and f"{day.day}. " not in html


def test_school_events_page_single_grade(client, teacher, school, association_member):
    _event(school, teacher, 4, 4)
    client.force_login(association_member)
    html = _get(client, reverse("schools:school_events"))
    assert "4. klassetrin" in html and "4.–4." not in html
    assert "grade 4" in _get(client, reverse("schools:school_events"), "en")
