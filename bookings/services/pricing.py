"""Prices and the subsidy pool: what a booking costs, and the municipality's share
reserved and spent under the pool's row lock (never overspent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import PriceModel
from municipalities.models import Municipality
from portal import fragments, generations
from portal.pagecache import release
from schools.models import School

from ..models import (
    Booking,
    SubsidyPool,
)
from ..schoolyear import school_year_of
from ..states import (
    BookingState,
)

CENT = Decimal("0.01")
B = BookingState


# --- Price and subsidy -------------------------------------------------------------------


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def session_hours(offer) -> Decimal:
    return Decimal(offer.duration_minutes) / Decimal(60)


def expected_price(
    offer, pupils: int, sessions: int = 1, hours: Decimal | float | None = None, classes: int = 1
) -> Decimal:
    """The price of one booking under the offer's price model.

    free: 0 · materials: the amount per pupil · hourly: the amount × hours per session ×
    sessions · per class: the amount × classes · per session: the amount × sessions.
    """
    amount = Decimal(offer.price_amount or 0)
    hours = Decimal(str(hours)) if hours is not None else session_hours(offer)
    sessions = max(int(sessions or 1), 1)
    match offer.price_model:
        case PriceModel.FREE:
            total = Decimal(0)
        case PriceModel.MATERIALS:
            total = amount * max(int(pupils or 0), 0)
        case PriceModel.HOURLY:
            total = amount * hours * sessions
        case PriceModel.PER_CLASS:
            total = amount * max(int(classes or 1), 1)
        case PriceModel.PER_SESSION:
            total = amount * sessions
        case _:
            total = Decimal(0)
    return _money(total)


def pool_for(municipality, when: datetime) -> SubsidyPool | None:
    day = timezone.localtime(when).date()
    return SubsidyPool.objects.filter(
        municipality=municipality, school_year=school_year_of(day)
    ).first()


#: How long a looked-up pool stays in the cache; any change of it makes it stale sooner.
POOL_CACHE_SECONDS = 600


def quoted_pool(municipality, when: datetime) -> SubsidyPool | None:
    """``pool_for``, cached for the price a booking form shows and a request stores (the
    municipality's share is reserved from the locked row when the association confirms).

    Every change of a pool (a save, a deletion, ``change_pool``) bumps its municipality's
    name (``bookings.caching``), the name "My school" shows the pool's figures under, so
    the next request reads it again. Keyed by the release (the pickled pool matches the
    code's model) and the school year; a year without a pool is cached too.
    """
    year = school_year_of(timezone.localtime(when).date())
    key = f"subsidy-pool:{release()}:{municipality.pk}:{year}"
    names = (fragments.name(Municipality, municipality.pk),)
    (pool,) = generations.cached(
        key, names, lambda: (pool_for(municipality, when),), POOL_CACHE_SECONDS
    )
    return pool


def open_pool(pool: SubsidyPool) -> SubsidyPool:
    """Open the municipality's subsidy pool for a school year: one per year
    (bookings_pool_one_per_year). A second one, even sent at the same moment, is refused
    at that constraint and raises a ValidationError on the school year; the first pool
    costs no extra statement."""
    try:
        with transaction.atomic():
            pool.save()
    except IntegrityError as exc:
        taken = SubsidyPool.objects.filter(
            municipality=pool.municipality_id, school_year=pool.school_year
        ).exists()
        if not taken:
            raise
        raise ValidationError(
            {"school_year": _("There is already a pool for this school year.")}
        ) from exc
    return pool


def change_amount(pool: SubsidyPool, amount: Decimal) -> SubsidyPool:
    """A new amount for the pool (a budget raised or cut during the school year). Never
    below what is reserved and spent: checked under the pool's row lock, which the bookings
    take to change those totals. Raises ValidationError on the amount."""
    with transaction.atomic():
        locked = SubsidyPool.objects.select_for_update().get(pk=pool.pk)
        locked.amount = amount
        locked.clean()
        change_pool(locked, amount=amount)
    return locked


def subsidy_base(pool: SubsidyPool, offer, price_total: Decimal, sessions: int) -> Decimal:
    """The part of the price the pool subsidises (hourly fees only up to the pool's rate)."""
    if offer.price_model == PriceModel.HOURLY and pool.max_hourly_rate is not None:
        rate = min(Decimal(offer.price_amount or 0), pool.max_hourly_rate)
        return _money(min(rate * session_hours(offer) * max(sessions, 1), price_total))
    return price_total


def school_subsidy_used(pool: SubsidyPool, school, exclude_pk=None) -> Decimal:
    qs = pool.bookings.filter(school=school, state__in=[B.CONFIRMED, B.COMPLETED])
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(s=Sum("municipality_share"))["s"] or Decimal(0)


#: What can make the municipality's share smaller than its percentage of the price.
HOURLY_RATE, BOOKING_CAP, SCHOOL_CAP, POOL_LEFT = "hourly_rate", "booking_cap", "school_cap", "left"


@dataclass(frozen=True)
class Split:
    """Who pays what of one booking's price under the subsidy pool's rules. ``limits`` names
    the rules that made the municipality's share smaller than its percentage of the price;
    ``school_left`` is what the pool still has for the school (its cap, or the pool)."""

    price: Decimal
    municipality: Decimal = Decimal(0)
    pool: SubsidyPool | None = None
    limits: tuple[str, ...] = ()
    school_left: Decimal | None = None

    @property
    def school(self) -> Decimal:
        return self.price - self.municipality


def split_price(pool: SubsidyPool | None, *, offer, school, price, sessions, exclude_pk=None):
    """The one computation of the municipality's and the school's share of a price: shown
    on the booking form before the request, stored on the request, and reserved (under the
    pool's row lock, with ``pool`` locked) when the association confirms."""
    if pool is None or price <= 0:
        return Split(price)
    base = subsidy_base(pool, offer, price, sessions)
    limits = [HOURLY_RATE] if base < price else []
    share = base * Decimal(pool.municipality_share_percent) / 100
    if pool.cap_per_booking is not None and pool.cap_per_booking < share:
        share, limits = pool.cap_per_booking, [*limits, BOOKING_CAP]
    left = pool.left
    if pool.cap_per_school is not None:
        used = school_subsidy_used(pool, school, exclude_pk=exclude_pk)
        for_school = max(pool.cap_per_school - used, Decimal(0))
        if for_school < share:
            share, limits = for_school, [*limits, SCHOOL_CAP]
        left = min(left, for_school)
    if pool.left < share:
        share, limits = pool.left, [*limits, POOL_LEFT]
    share = _money(max(share, Decimal(0)))
    return Split(price, share, pool, tuple(limits), max(left, Decimal(0)))


def quote(offer, school, when: datetime, *, pupils: int, sessions: int = 1, classes: int = 1):
    """The price of a booking and who would pay what, as the booking form shows it."""
    price = expected_price(offer, pupils, sessions=sessions, classes=classes)
    pool = quoted_pool(school.municipality, when) if price > 0 else None
    return split_price(pool, offer=offer, school=school, price=price, sessions=sessions)


def reserve_subsidy(booking: Booking) -> None:
    """Give a confirmed paid booking its municipality share, under a lock on the pool."""
    booking.municipality_share = Decimal(0)
    booking.school_share = booking.price_total
    booking.subsidy_pool = None
    if booking.price_total <= 0:
        return
    found = pool_for(booking.school.municipality, booking.starts_at)
    if found is None:
        return
    pool = SubsidyPool.objects.select_for_update().get(pk=found.pk)
    split = split_price(
        pool,
        offer=booking.offer,
        school=booking.school,
        price=booking.price_total,
        sessions=booking.sessions,
        exclude_pk=booking.pk,
    )
    if split.municipality <= 0:
        return
    change_pool(pool, reserved=F("reserved") + split.municipality)
    booking.subsidy_pool = pool
    booking.municipality_share = split.municipality
    booking.school_share = split.school


def change_pool(pool: SubsidyPool, **changes) -> None:
    """Change a pool's totals (the caller holds its row lock). Every school of the
    municipality shows what is left, and ``update()`` sends no signal: bump their lists."""
    SubsidyPool.objects.filter(pk=pool.pk).update(**changes)
    generations.bump(fragments.name(Municipality, pool.municipality_id))


def release_subsidy(booking: Booking, *, spend: bool = False) -> None:
    if booking.subsidy_pool_id is None or booking.municipality_share <= 0:
        return
    pool = SubsidyPool.objects.select_for_update().get(pk=booking.subsidy_pool_id)
    share = booking.municipality_share
    if spend:
        change_pool(pool, reserved=F("reserved") - share, spent=F("spent") + share)
        return
    change_pool(pool, reserved=F("reserved") - share)
    booking.municipality_share = Decimal(0)
    booking.school_share = booking.price_total
    booking.subsidy_pool = None


@dataclass
class PoolFigures:
    amount: Decimal
    reserved: Decimal
    spent: Decimal
    left: Decimal


def pool_figures(pool: SubsidyPool, school=None) -> PoolFigures:
    if school is None:
        return PoolFigures(pool.amount, pool.reserved, pool.spent, pool.left)
    used = next(iter(_school_usage(pool).filter(school=school)), {})
    return _school_figures(pool, used.get("reserved"), used.get("spent"))


def _school_usage(pool: SubsidyPool):
    """The pool's share reserved (confirmed) and spent (completed), grouped by school."""
    return (
        pool.bookings.filter(state__in=[B.CONFIRMED, B.COMPLETED])
        .values("school")
        .annotate(
            reserved=Sum("municipality_share", filter=Q(state=B.CONFIRMED)),
            spent=Sum("municipality_share", filter=Q(state=B.COMPLETED)),
        )
    )


def _school_figures(pool: SubsidyPool, reserved, spent) -> PoolFigures:
    reserved, spent = Decimal(reserved or 0), Decimal(spent or 0)
    cap = pool.cap_per_school
    left = (cap - reserved - spent) if cap is not None else pool.left
    return PoolFigures(cap or pool.amount, reserved, spent, min(left, pool.left))


def pool_figures_by_school(pool: SubsidyPool) -> list[tuple]:
    """(school, PoolFigures) for every school that used the pool, in one grouped query."""
    usage = {row["school"]: row for row in _school_usage(pool)}
    result = []
    for school in School.objects.filter(pk__in=usage).order_by("name"):
        figures = _school_figures(pool, usage[school.pk]["reserved"], usage[school.pk]["spent"])
        if figures.reserved or figures.spent:
            result.append((school, figures))
    return result
