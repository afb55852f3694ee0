"""School days outside the holidays, for dates in development data."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from bookings.schoolyear import holiday_on


def term_day(start: date, weekday: int = 1) -> date:
    """The first school day on ``weekday`` (0 = Monday) on or after ``start``, not in a holiday."""
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while holiday_on(day) is not None:
        day += timedelta(days=7)
    return day


def at(day: date, hour: int, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minutes), tzinfo=timezone.get_current_timezone())
