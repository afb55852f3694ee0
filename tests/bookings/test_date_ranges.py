"""Dates a form refuses: outside the portal's range of years (``portal.forms.date_range``),
or in the past where only the future makes sense. Each is a field error the person can
read and fix, never a 500 and never a silent default (issue: no 500 on any input)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, BookingState, Occasion
from portal.forms import date_range
from tests import factories as f
from tests.bookings.conftest import make_booking, school_day

YEAR_1 = "0001-01-01T00:00"
YEAR_9999 = "9999-09-01T10:00"
LAST_MINUTE = "9999-12-31T23:59"


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _range_error() -> str:
    first, last = date_range()
    return f"Vælg en dato mellem {first:%d.%m.%Y} og {last:%d.%m.%Y}."


@pytest.fixture
def request_offer(association):
    return f.OfferFactory(association=association, published=True, on_request=True)


@pytest.mark.parametrize("value", [YEAR_1, YEAR_9999, LAST_MINUTE])
def test_a_preferred_date_outside_the_years_is_a_field_error(
    client, teacher, school, request_offer, value
):
    client.force_login(teacher)
    data = {
        "school": school.pk,
        "preferred_1": value,
        "sessions": 1,
        "classes": "5.A",
        "class_count": 1,
        "grade": 5,
        "pupils": 20,
        "contact_teacher": teacher.pk,
    }
    response = client.post(reverse("bookings:book_offer", args=[request_offer.slug]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["preferred_1"]
    assert _range_error() in response.content.decode()
    assert not Booking.objects.exists()


def test_a_preferred_date_in_the_past_is_a_field_error(client, teacher, school, request_offer):
    client.force_login(teacher)
    past = timezone.now() - timedelta(days=3)
    response = client.post(
        reverse("bookings:book_offer", args=[request_offer.slug]),
        {
            "school": school.pk,
            "preferred_1": _local(past),
            "sessions": 1,
            "classes": "5.A",
            "class_count": 1,
            "grade": 5,
            "pupils": 20,
            "contact_teacher": teacher.pk,
        },
    )
    assert list(response.context["form"].errors) == ["preferred_1"]
    assert "Datoen er passeret" in response.content.decode()


def _occasion_data(start, **changes):
    data = {
        "starts_at": _local(start),
        "ends_at": _local(start + timedelta(hours=2)),
        "place": "Hallen",
        "capacity": 2,
        "capacity_unit": "classes",
    }
    return data | changes


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", YEAR_1),
        ("starts_at", YEAR_9999),
        ("ends_at", LAST_MINUTE),
        ("allocation_deadline", YEAR_1),
        ("allocation_deadline", YEAR_9999),
    ],
)
def test_an_occasion_outside_the_years_is_a_field_error(
    client, association_member, published_offer, field, value
):
    client.force_login(association_member)
    url = reverse("bookings:occasions", args=[published_offer.pk])
    response = client.post(url, _occasion_data(school_day(30), **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Occasion.objects.exists()


@pytest.mark.parametrize("line", ["01.01.0001 10:00-11:00", "01.09.9999 10:00-11:00"])
def test_a_course_session_outside_the_years_is_a_field_error(
    client, association_member, published_offer, line
):
    client.force_login(association_member)
    url = reverse("bookings:occasions", args=[published_offer.pk])
    response = client.post(url, _occasion_data(school_day(30), extra_sessions=line))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["extra_sessions"]
    assert not Occasion.objects.exists()


@pytest.mark.parametrize("field", ["starts_at", "allocation_deadline"])
def test_a_new_occasion_or_deadline_in_the_past_is_a_field_error(
    client, association_member, published_offer, field
):
    client.force_login(association_member)
    start = school_day(30)
    past = _local(timezone.now() - timedelta(days=2))
    data = _occasion_data(start, **{field: past})
    if field == "starts_at":
        data["ends_at"] = _local(timezone.now() - timedelta(days=2) + timedelta(hours=2))
    response = client.post(reverse("bookings:occasions", args=[published_offer.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Datoen er passeret" in response.content.decode()
    assert not Occasion.objects.exists()


def test_an_occasion_that_has_passed_can_still_get_another_place(
    client, association_member, published_offer
):
    """Only a date that is moved must lie ahead: fixing the place of last week's occasion
    keeps its dates."""
    start = school_day(-12)  # a weekday outside the holidays, on the hour
    occasion = Occasion.objects.create(
        offer=published_offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
    )
    client.force_login(association_member)
    response = client.post(
        reverse("bookings:occasion_edit", args=[occasion.pk]),
        _occasion_data(start, place="Svømmehallen"),
    )
    assert response.status_code == 302
    occasion.refresh_from_db()
    assert occasion.place == "Svømmehallen"


@pytest.mark.parametrize("value", [YEAR_1, YEAR_9999, LAST_MINUTE])
def test_a_proposal_outside_the_years_is_a_field_error(client, booking, association_member, value):
    client.force_login(association_member)
    response = client.post(
        reverse("bookings:action", args=[booking.pk, "propose_alternative"]),
        {"propose-starts_at": value, "propose-ends_at": value},
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["propose_form"].errors
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED


@pytest.mark.parametrize("chosen", ["not-a-date", "2027-13-45T10:00", "9" * 40])
def test_confirming_with_an_unreadable_date_confirms_nothing(
    client, teacher, school, request_offer, association_member, chosen
):
    """An unparseable choice used to confirm the school's first preferred date silently."""
    booking = make_booking(teacher, school, request_offer)
    client.force_login(association_member)
    response = client.post(
        reverse("bookings:action", args=[booking.pk, "confirm"]), {"chosen": chosen}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED
    page = client.get(response["Location"]).content.decode()
    assert "Vælg en af skolens ønskede datoer." in page


def test_confirming_with_a_readable_date_that_is_not_preferred_confirms_nothing(
    client, teacher, school, request_offer, association_member
):
    booking = make_booking(teacher, school, request_offer)
    client.force_login(association_member)
    other = _local(school_day(80)) + ":00+01:00"
    client.post(reverse("bookings:action", args=[booking.pk, "confirm"]), {"chosen": other})
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED


def test_confirming_with_a_preferred_date_confirms_it(
    client, teacher, school, request_offer, association_member
):
    first, second = school_day(40), school_day(50)
    booking = make_booking(
        teacher,
        school,
        request_offer,
        preferred=[(first, first + timedelta(hours=2)), (second, second + timedelta(hours=2))],
    )
    client.force_login(association_member)
    client.post(
        reverse("bookings:action", args=[booking.pk, "confirm"]),
        {"chosen": booking.preferred_dates[1][0]},
    )
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED
    assert booking.starts_at == second


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_a_school_event_outside_the_years_is_a_field_error(client, teacher, value):
    client.force_login(teacher)
    day = school_day(30).date().isoformat()
    response = client.post(
        reverse("schools:school_event_add"),
        {"title": "Idrætsdag", "starts_on": value, "ends_on": day, "grade_min": 0, "grade_max": 9},
    )
    assert response.status_code == 200
    assert "starts_on" in response.context["form"].errors
