"""Rules every booking path checks: dates, group size, places, answer deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.caching import catalogs, offer_pages
from associations.models import Offer
from portal import generations

from ..models import (
    CapacityUnit,
    Occasion,
)
from ..schoolyear import check_not_in_holidays, winter_weeks_for

# --- Dates --------------------------------------------------------------------------------


def answer_deadline_for(municipality, starts_at: datetime, now: datetime | None = None):
    """The municipality's answer period, but never after the date itself."""
    now = now or timezone.now()
    return min(now + timedelta(days=municipality.booking_answer_days), starts_at)


def validate_dates(sessions, municipalities, offer: Offer | None = None) -> None:
    """Each session ends after it starts, touches no school holiday and, for ``offer``, lies
    in the offer's season."""
    for start, end in sessions:
        if end <= start:
            raise ValidationError(_("The end must be after the start."))
    check_not_in_holidays(sessions, winter_weeks_for(municipalities))
    if offer is not None:
        validate_season(offer, sessions)


def validate_season(offer: Offer, sessions) -> None:
    """Every date of an offer lies in its season (from week to week, as the association gave
    it on the offer)."""
    for start, _end in sessions:
        day = timezone.localtime(start).date()
        if not offer.in_season(day):
            raise ValidationError(
                _(
                    "%(date)s is in week %(week)s, outside the offer's season (week %(first)s "
                    "to week %(last)s); choose a date in the season."
                )
                % {
                    "date": day.strftime("%d.%m.%Y"),
                    "week": day.isocalendar().week,
                    "first": offer.season_start_week,
                    "last": offer.season_end_week,
                },
                code="season",
            )


def validate_group(offer, grade: int, pupils: int, class_count: int = 1) -> None:
    """The class must be one the offer is made for: its grades and its group size. The
    offer's maximum is read per class (several classes come as several groups), the minimum
    for the whole booking."""
    errors = {}
    if not offer.grade_min <= grade <= offer.grade_max:
        errors["grade"] = _("This offer is for grades %(min)s to %(max)s.") % {
            "min": offer.grade_min,
            "max": offer.grade_max,
        }
    if pupils < offer.pupils_min:
        errors["pupils"] = _("This offer needs at least %(min)s pupils.") % {
            "min": offer.pupils_min
        }
    elif pupils > offer.pupils_max * max(class_count, 1):
        errors["pupils"] = _("This offer takes at most %(max)s pupils per class.") % {
            "max": offer.pupils_max
        }
    if errors:
        raise ValidationError(errors)


def places_for(occasion: Occasion, class_count: int, pupils: int) -> int:
    return class_count if occasion.capacity_unit == CapacityUnit.CLASSES else pupils


def change_reserved(occasion_id: int, delta: int, offer: Offer | None = None) -> None:
    """Change an occasion's reserved places (the caller holds its row lock) and invalidate the
    cached pages that show the free places (``update()`` sends no signal): its offer's
    (``offer``, if the caller has it) and the catalogs, whose cards show the next date's."""
    Occasion.objects.filter(pk=occasion_id).update(reserved=F("reserved") + delta)
    if offer is None:
        offer = Offer.objects.only("slug", "association").get(occasions=occasion_id)
    generations.bump(*offer_pages(offer), *catalogs(offer.association_id))
