from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings import services
from bookings.models import Occasion
from bookings.schoolyear import (
    check_not_in_holidays,
    holiday_on,
    school_year_of,
    winter_weeks_for,
)
from municipalities.models import SchoolYearSettings
from tests import factories as f


def aware(y, m, d, h=10):
    return timezone.make_aware(datetime(y, m, d, h))


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_is_computed(year, easter):
    """Easter (dateutil's computation) moves the Easter holiday and the days after it."""
    easter_holiday = holiday_on(easter)
    assert easter_holiday is not None
    assert easter_holiday.last == easter + timedelta(days=1)  # Easter Monday
    assert holiday_on(easter - timedelta(days=8)) == easter_holiday  # from the Saturday before
    assert holiday_on(easter + timedelta(days=2)) is None
    assert holiday_on(easter + timedelta(days=39)) is not None  # Ascension Day


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 9, 1), date(9999, 12, 31)])
def test_holidays_of_years_the_calendar_cannot_hold_are_refused(day):
    """Year 10000 does not exist: the school year that starts in August 9999 cannot be
    computed, and asking is a validation error, never a crash."""
    with pytest.raises(ValidationError):
        holiday_on(day)
    with pytest.raises(ValidationError):
        check_not_in_holidays([(day, day)])


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 10, 14),  # week 42
        date(2026, 12, 23),  # Christmas
        date(2027, 1, 1),
        date(2027, 2, 17),  # week 7
        date(2027, 3, 24),  # Holy Week 2027
        date(2027, 3, 29),  # Easter Monday
        date(2027, 7, 15),  # summer
        date(2026, 8, 3),
    ],
)
def test_holidays(day):
    assert holiday_on(day) is not None


@pytest.mark.parametrize(
    "day", [date(2026, 10, 7), date(2026, 12, 17), date(2027, 2, 24), date(2027, 6, 10)]
)
def test_school_days(day):
    assert holiday_on(day) is None


def test_winter_week_eight_by_municipality(municipality):
    assert holiday_on(date(2027, 2, 24), 8) is not None
    assert winter_weeks_for([municipality]) == {7}
    SchoolYearSettings.objects.create(municipality=municipality, winter_holiday_week=8)
    assert winter_weeks_for([municipality]) == {8}


def test_winter_weeks_read_with_the_municipality_need_no_query(
    municipality, other_municipality, django_assert_num_queries
):
    from municipalities.models import Municipality

    SchoolYearSettings.objects.create(municipality=municipality, winter_holiday_week=8)
    both = list(
        Municipality.objects.filter(pk__in=[municipality.pk, other_municipality.pk])
        .select_related("school_year_settings")
        .order_by("pk")
    )
    with django_assert_num_queries(0):
        assert winter_weeks_for(both) == {7, 8}
    plain = list(Municipality.objects.filter(pk=municipality.pk))
    with django_assert_num_queries(1):
        assert winter_weeks_for(plain) == {8}


def test_two_municipalities_in_week_eight_have_no_week_seven(municipality, other_municipality):
    for m in (municipality, other_municipality):
        SchoolYearSettings.objects.create(municipality=m, winter_holiday_week=8)
    assert winter_weeks_for([municipality.pk, other_municipality.pk]) == {8}
    assert winter_weeks_for([]) == {7}


def test_a_changed_winter_week_reaches_the_cached_roles(municipality):
    from accounts.roles import for_user

    membership = f.SchoolMembershipFactory(school__municipality=municipality)
    user = membership.user
    assert winter_weeks_for([m.school.municipality for m in for_user(user).school_memberships]) == {
        7
    }
    SchoolYearSettings.objects.create(municipality=municipality, winter_holiday_week=8)
    fresh = type(user).objects.get(pk=user.pk)
    assert winter_weeks_for(
        [m.school.municipality for m in for_user(fresh).school_memberships]
    ) == {8}


def test_school_year_of():
    assert school_year_of(date(2026, 8, 20)) == 2026
    assert school_year_of(date(2027, 6, 1)) == 2026


def test_check_refuses_a_session_in_a_holiday():
    with pytest.raises(ValidationError):
        check_not_in_holidays([(aware(2026, 10, 13), aware(2026, 10, 13, 12))])
    check_not_in_holidays([(aware(2026, 10, 7), aware(2026, 10, 7, 12))])


def test_occasion_in_holiday_is_refused(published_offer):
    occasion = Occasion(
        offer=published_offer,
        starts_at=aware(2027, 2, 16),
        ends_at=aware(2027, 2, 16, 12),
        capacity=2,
    )
    with pytest.raises(ValidationError):
        services.save_occasion(occasion)
    assert not Occasion.objects.exists()


def test_course_series_with_a_session_in_a_holiday_is_refused(published_offer):
    occasion = Occasion(
        offer=published_offer,
        starts_at=aware(2027, 3, 3),
        ends_at=aware(2027, 3, 3, 12),
        capacity=2,
    )
    sessions = [
        (aware(2027, 3, 3) + timedelta(weeks=n), aware(2027, 3, 3, 12) + timedelta(weeks=n))
        for n in range(1, 4)
    ]  # the third falls in Holy Week
    with pytest.raises(ValidationError):
        services.save_occasion(occasion, sessions)
    assert not Occasion.objects.exists()
    services.save_occasion(occasion, sessions[:2])
    assert occasion.session_count == 3


def test_winter_week_of_the_municipality_blocks_occasions(published_offer, municipality):
    SchoolYearSettings.objects.create(municipality=municipality, winter_holiday_week=8)
    ok = Occasion(
        offer=published_offer,
        starts_at=aware(2027, 2, 16),
        ends_at=aware(2027, 2, 16, 12),
        capacity=1,
    )
    services.save_occasion(ok)  # week 7 is a school week in this municipality
    refused = Occasion(
        offer=published_offer,
        starts_at=aware(2027, 2, 23),
        ends_at=aware(2027, 2, 23, 12),
        capacity=1,
    )
    with pytest.raises(ValidationError):
        services.save_occasion(refused)


def test_holiday_names_follow_the_language_although_the_dates_are_computed_once():
    from django.utils import translation

    christmas = date(2027, 12, 24)
    for language, name in [("en", "Christmas holiday"), ("da", "Juleferie")] * 2:
        with translation.override(language):
            assert holiday_on(christmas).name == name
