"""The Danish school year (August to June) and its holidays.

Rules (the usual pattern in Danish municipalities; a municipality picks winter week 7 or 8):

- the school year starts on Monday of ISO week 33 and ends on the Friday of ISO week 26;
- summer holiday: from the Saturday of ISO week 26 to the Sunday of ISO week 32;
- autumn holiday: ISO week 42 (with the weekends around it);
- Christmas: 21 December to 1 January;
- winter holiday: ISO week 7 (or 8);
- Easter: from the Saturday before Palm Sunday to Easter Monday;
- public holidays: Ascension Day and the Friday after it, Whit Monday, Constitution Day (5 June).

Neither occasions nor course sessions may fall in a holiday (``check_not_in_holidays``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.easter import easter
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, SchoolYearSettings


def _iso_week(year: int, week: int, weekday: int) -> date:
    return date.fromisocalendar(year, week, weekday)


@dataclass(frozen=True)
class Holiday:
    name: str
    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


def school_year_of(day: date) -> int:
    """The starting year of the school year a date belongs to (August starts a new one)."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_bounds(start_year: int) -> tuple[date, date]:
    return _iso_week(start_year, 33, 1), _iso_week(start_year + 1, 26, 5)


def holidays(start_year: int, winter_week: int = 7) -> tuple[Holiday, ...]:
    """The holidays of the school year starting in August ``start_year``, named in the
    current language."""
    return _holidays(start_year, winter_week, get_language())


@functools.lru_cache(maxsize=128)
def _holidays(start_year: int, winter_week: int, _language: str) -> tuple[Holiday, ...]:
    """Every booking checks its dates against these: computed once per year, winter week and
    language."""
    y1, y2 = start_year, start_year + 1
    easter_day = easter(y2)
    return (
        Holiday(
            str(_("Summer holiday")),
            _iso_week(y1, 26, 6),
            _iso_week(y1, 32, 7),
        ),
        Holiday(
            str(_("Autumn holiday")), _iso_week(y1, 42, 1) - timedelta(days=2), _iso_week(y1, 42, 7)
        ),
        Holiday(str(_("Christmas holiday")), date(y1, 12, 21), date(y2, 1, 1)),
        Holiday(
            str(_("Winter holiday")),
            _iso_week(y2, winter_week, 1) - timedelta(days=2),
            _iso_week(y2, winter_week, 7),
        ),
        Holiday(
            str(_("Easter holiday")), easter_day - timedelta(days=8), easter_day + timedelta(days=1)
        ),
        Holiday(
            str(_("Ascension Day")),
            easter_day + timedelta(days=39),
            easter_day + timedelta(days=40),
        ),
        Holiday(
            str(_("Whit Monday")), easter_day + timedelta(days=50), easter_day + timedelta(days=50)
        ),
        Holiday(str(_("Constitution Day")), date(y2, 6, 5), date(y2, 6, 5)),
        Holiday(
            str(_("Summer holiday")),
            _iso_week(y2, 26, 6),
            _iso_week(y2, 32, 7),
        ),
    )


#: The school years whose holidays can be computed (the calendar ends in year 9999); forms
#: accept far fewer (``portal.forms.date_range``), this keeps any other caller safe.
KNOWN_YEARS = range(date.min.year + 1, date.max.year - 1)


def holiday_on(day: date, winter_week: int = 7) -> Holiday | None:
    if school_year_of(day) not in KNOWN_YEARS:
        raise ValidationError(
            _("%(date)s is outside the school years the portal knows."),
            code="out_of_range",
            params={"date": day.strftime("%d.%m.%Y")},
        )
    for holiday in holidays(school_year_of(day), winter_week):
        if day in holiday:
            return holiday
    return None


def winter_weeks_for(municipalities) -> set[int]:
    """The winter-holiday weeks of the given municipalities (7 unless one set another).

    Municipalities read with their settings (``select_related("school_year_settings")``,
    as the cached roles' schools are) need no query.
    """
    municipalities = list(municipalities)
    cached = Municipality._meta.get_field("school_year_settings")
    if municipalities and all(
        isinstance(m, Municipality) and cached.is_cached(m) for m in municipalities
    ):
        settings = [cached.get_cached_value(m) for m in municipalities]
        return {s.winter_holiday_week if s is not None else 7 for s in settings}
    found = dict(
        SchoolYearSettings.objects.filter(municipality__in=municipalities).values_list(
            "municipality_id", "winter_holiday_week"
        )
    )
    ids = {getattr(m, "pk", m) for m in municipalities}
    # A municipality without settings has the default week.
    return set(found.values()) | ({7} if ids - set(found) or not ids else set())


def _days(start: datetime | date, end: datetime | date) -> list[date]:
    if isinstance(start, datetime):
        start = timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    if isinstance(end, datetime):
        end = timezone.localtime(end).date() if timezone.is_aware(end) else end.date()
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def check_not_in_holidays(
    sessions: list[tuple[datetime | date, datetime | date]], winter_weeks: set[int] | None = None
) -> None:
    """Raise ValidationError when any session (start, end) touches a school holiday."""
    for start, end in sessions:
        for day in _days(start, end):
            for week in winter_weeks or {7}:
                holiday = holiday_on(day, week)
                if holiday:
                    raise ValidationError(
                        _("%(date)s is in the %(holiday)s; choose a school day.")
                        % {"date": day.strftime("%d.%m.%Y"), "holiday": holiday.name.lower()},
                        code="holiday",
                    )
