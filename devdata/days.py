"""School days outside the holidays, for dates in development data."""

import functools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from bookings.schoolyear import holiday_on


def term_day(start: date, weekday: int = 1) -> date:
    """The first school day on ``weekday`` (0 = Monday) on or after ``start``, not in a holiday."""
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while holiday_on(day) is not None:
        day += timedelta(days=7)
    return day


def season_day(offer, start: date, weekday: int = 1) -> date:
    """The first school day on ``weekday`` on or after ``start`` in the offer's season (the
    next season's, if ``start`` is past this one's end)."""
    day = term_day(start, weekday)
    for _week in range(60):
        if offer.in_season(day):
            return day
        day = term_day(day + timedelta(days=7), weekday)
    raise ValueError(f"{offer} has no school day in its season")


def past_season_day(offer, end: date, weekday: int = 1) -> date:
    """The last school day on ``weekday`` on or before ``end`` in the offer's season."""
    day = end - timedelta(days=(end.weekday() - weekday) % 7)
    for _week in range(60):
        if offer.in_season(day) and holiday_on(day) is None:
            return day
        day -= timedelta(days=7)
    raise ValueError(f"{offer} has no school day in its season")


def drawn_in_season(offer, draw, tries: int = 200) -> date:
    """The first day ``draw()`` gives in the offer's season (random data)."""
    for _ in range(tries):
        day = draw()
        if offer.in_season(day):
            return day
    raise ValueError(f"{offer} has no school day in its season")


def at(day: date, hour: int, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minutes), tzinfo=timezone.get_current_timezone())


@functools.lru_cache(maxsize=4096)
def is_school_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_on(day) is None


def school_days(first: date, last: date) -> list[date]:
    """Weekdays from ``first`` to ``last`` outside the school holidays (winter week 7)."""
    days, day = [], first
    while day <= last:
        if is_school_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def next_school_day(day: date) -> date:
    while not is_school_day(day):
        day += timedelta(days=1)
    return day
