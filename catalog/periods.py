"""The catalog's calendar: which month or week a visitor looks at, and its days.

The period comes from ``?month=YYYY-MM`` or ``?week_of=YYYY-MM-DD`` (the Monday-to-Sunday
week of that day), checked by ``CalendarForm`` against the portal's range of dates; an
unknown or impossible period shows the current month with the form's error.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.utils import timezone

from portal.forms import BoundedDateField, date_range

MONTH = "month"
WEEK = "week"


class CalendarForm(forms.Form):
    month = BoundedDateField(
        required=False,
        years_back=0,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    week_of = BoundedDateField(required=False, years_back=0)


@dataclass
class Day:
    day: date
    in_period: bool
    occasions: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"day-{self.day.isoformat()}"


@dataclass(frozen=True)
class Period:
    span: str  # MONTH or WEEK
    first: date
    last: date  # inclusive
    previous: date | None  # the first day of the period before, if it is not all past
    next: date | None  # the first day of the period after, if within the portal's dates

    def link(self, first: date) -> tuple[str, str]:
        """The query parameter that shows the period of this span starting at ``first``."""
        return ("week_of", first.isoformat()) if self.span == WEEK else ("month", f"{first:%Y-%m}")


def _month_after(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_before(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def period_for(form: CalendarForm, today: date | None = None) -> Period:
    """The period the (validated) form asks for: a week, a month, or this month."""
    today = today or timezone.localdate()
    last_possible = date_range()[1]
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("week_of"):
        first = data["week_of"] - timedelta(days=data["week_of"].weekday())
        this_week = today - timedelta(days=today.weekday())
        after = first + timedelta(days=7)
        return Period(
            WEEK,
            first,
            first + timedelta(days=6),
            first - timedelta(days=7) if first > this_week else None,
            after if after <= last_possible else None,
        )
    first = (data.get("month") or today).replace(day=1)
    after = _month_after(first)
    return Period(
        MONTH,
        first,
        after - timedelta(days=1),
        _month_before(first) if first > today.replace(day=1) else None,
        after if after <= last_possible else None,
    )


def days_of(period: Period, occasions) -> tuple[list[list[Day]], list[Day]]:
    """The weeks of the period as rows of days (Monday first; a month's grid includes the
    days of its first and last weeks outside it) and the days that have dates, each with its
    occasions in order."""
    by_day: dict[date, list] = {}
    for occasion in occasions:
        by_day.setdefault(timezone.localtime(occasion.starts_at).date(), []).append(occasion)
    if period.span == WEEK:
        rows = [[period.first + timedelta(days=n) for n in range(7)]]
    else:
        rows = calendar.Calendar().monthdatescalendar(period.first.year, period.first.month)
    weeks = [
        [Day(d, period.first <= d <= period.last, by_day.get(d, [])) for d in row] for row in rows
    ]
    with_dates = [day for row in weeks for day in row if day.in_period and day.occasions]
    return weeks, with_dates
