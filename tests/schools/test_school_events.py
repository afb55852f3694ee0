"""A school's own events: the form explains wrong dates and grades on the field, never with
the database constraint's name, and refuses an event that has already ended."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from schools.forms import SchoolEventForm

pytestmark = pytest.mark.django_db

ADD = reverse("schools:school_event_add")


def _data(school, *, starts_in=30, ends_in=31, grade_min=0, grade_max=6):
    today = timezone.localdate()
    return {
        "school": school.pk,
        "title": "Idrætsdag",
        "starts_on": today + timedelta(days=starts_in),
        "ends_on": today + timedelta(days=ends_in),
        "grade_min": grade_min,
        "grade_max": grade_max,
    }


def _post(client, teacher, data):
    client.force_login(teacher)
    return client.post(ADD, data)


def _assert_no_constraint_names(response):
    html = response.content.decode()
    assert "bookings_schoolevent" not in html
    assert not response.context["form"].non_field_errors()


@pytest.mark.parametrize(
    ("starts_in", "ends_in"),
    [(30, 31), (31, 30)],  # grades alone, and grades together with reversed dates
)
def test_last_grade_before_the_first_is_an_error_on_the_field(
    client, teacher, school, starts_in, ends_in
):
    data = _data(school, starts_in=starts_in, ends_in=ends_in, grade_min=5, grade_max=2)
    response = _post(client, teacher, data)
    assert response.status_code == 200
    assert response.context["form"].errors["grade_max"] == [
        "Sidste klassetrin må ikke ligge før første."
    ]
    _assert_no_constraint_names(response)
    assert not school.events.exists()


def test_last_day_before_the_first_is_an_error_on_the_field(client, teacher, school):
    response = _post(client, teacher, _data(school, starts_in=31, ends_in=30))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == [
        "Sidste dag må ikke ligge før første dag."
    ]
    _assert_no_constraint_names(response)
    assert not school.events.exists()


@pytest.mark.parametrize(("starts_in", "ends_in"), [(-400, -399), (-3, -1), (-1, -3)])
def test_an_event_that_has_already_ended_is_refused(client, teacher, school, starts_in, ends_in):
    response = _post(client, teacher, _data(school, starts_in=starts_in, ends_in=ends_in))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["ends_on"]
    assert "Sidste dag er overstået" in errors["ends_on"][0]
    _assert_no_constraint_names(response)
    assert not school.events.exists()


@pytest.mark.parametrize(("starts_in", "ends_in"), [(0, 0), (-2, 0), (-2, 5), (10, 12)])
def test_an_event_today_or_later_is_saved_and_shown(client, teacher, school, starts_in, ends_in):
    response = _post(client, teacher, _data(school, starts_in=starts_in, ends_in=ends_in))
    assert response.status_code == 302
    assert school.events.get().title == "Idrætsdag"
    assert "Idrætsdag" in client.get(reverse("bookings:my_school")).content.decode()


def test_the_messages_are_translatable_in_english(school):
    from django.utils import translation

    with translation.override("en"):
        form = SchoolEventForm(
            data=_data(school, starts_in=-5, ends_in=-6, grade_min=5, grade_max=2)
        )
        assert not form.is_valid()
        assert form.errors == {
            "ends_on": ["The last day has passed: the event must end today or later."],
            "grade_max": ["The last grade must not be before the first."],
        }
