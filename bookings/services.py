"""Booking rules: requests, the lifecycle, places, the waiting list, the subsidy pool.

Every state change locks the rows it touches (booking → occasion → pool, always in that
order), re-checks the current state, changes it, records a ``BookingEvent`` and queues
e-mail with ``notifications.services.notify()`` (delivered after commit). What a form
creates carries the form's key, so that the form sent twice creates it once
(``sent_before``).
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from associations.models import Offer, PriceModel
from notifications.services import absolute_url, notify
from portal import generations, pagecache
from portal.cache import pickled_shape
from portal.submitkeys import sent_before
from schools.models import School

from .models import (
    Booking,
    BookingEvent,
    BookingMessage,
    CapacityUnit,
    Evaluation,
    Occasion,
    OccasionSession,
    SubsidyPool,
    WaitingListEntry,
)
from .schoolyear import check_not_in_holidays, school_year_of, winter_weeks_for
from .states import (
    OPEN_STATES,
    Actor,
    BookingError,
    BookingState,
    BookingTransition,
    target_state,
)

CENT = Decimal("0.01")
B = BookingState
T = BookingTransition


# --- The offer being booked --------------------------------------------------------------

#: How long a looked-up offer stays in the cache; any change of an offer, association or
#: municipality makes it stale sooner (it is stored with the ``schools`` generation's number).
OFFER_CACHE_SECONDS = 600


def bookable_offer(slug: str, municipality_ids) -> Offer | None:
    """The published offer ``slug`` (with its association) if it is offered in one of
    ``municipality_ids``, else None.

    A school books the same offers again and again, and the lookup is a quarter of a booking
    request's work, so it is cached: checked against the ``schools`` generation, which every
    change of an offer, association or municipality bumps (``portal.apps.SCHOOL_PAGE_MODELS``),
    and keyed by today's date, since a certificate that runs out unpublishes the offer at
    midnight.
    """
    shape = pickled_shape("associations.Offer", "associations.Association")
    key = f"bookable-offer:{shape}:{timezone.localdate().isoformat()}:{slug}"
    numbers, found = generations.read_with((generations.SCHOOLS,), [key])
    if key in found:
        offer, offered_in = found[key]
    else:
        offer = Offer.objects.published().select_related("association").filter(slug=slug).first()
        if offer is None:
            return None  # not cached: any slug could be asked for
        offered_in = frozenset(offer.association.municipalities.values_list("pk", flat=True))
        generations.store(key, (offer, offered_in), numbers, OFFER_CACHE_SECONDS)
    return offer if offered_in & set(municipality_ids) else None


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


def subsidy_base(pool: SubsidyPool, booking: Booking) -> Decimal:
    """The part of the price the pool subsidises (hourly fees only up to the pool's rate)."""
    offer = booking.offer
    if offer.price_model == PriceModel.HOURLY and pool.max_hourly_rate is not None:
        rate = min(Decimal(offer.price_amount or 0), pool.max_hourly_rate)
        return _money(min(rate * session_hours(offer) * booking.sessions, booking.price_total))
    return booking.price_total


def school_subsidy_used(pool: SubsidyPool, school, exclude_pk=None) -> Decimal:
    qs = pool.bookings.filter(school=school, state__in=[B.CONFIRMED, B.COMPLETED])
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(s=Sum("municipality_share"))["s"] or Decimal(0)


def _reserve_subsidy(booking: Booking) -> None:
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
    share = subsidy_base(pool, booking) * Decimal(pool.municipality_share_percent) / 100
    if pool.cap_per_booking is not None:
        share = min(share, pool.cap_per_booking)
    if pool.cap_per_school is not None:
        used = school_subsidy_used(pool, booking.school, exclude_pk=booking.pk)
        share = min(share, max(pool.cap_per_school - used, Decimal(0)))
    share = _money(max(min(share, pool.left), Decimal(0)))
    if share <= 0:
        return
    _change_pool(pool, reserved=F("reserved") + share)
    booking.subsidy_pool = pool
    booking.municipality_share = share
    booking.school_share = booking.price_total - share


def _change_pool(pool: SubsidyPool, **changes) -> None:
    """Change a pool's totals (the caller holds its row lock). Every school of the
    municipality shows what is left, and ``update()`` sends no signal: bump their lists."""
    SubsidyPool.objects.filter(pk=pool.pk).update(**changes)
    generations.bump(generations.municipality(pool.municipality_id))


def _release_subsidy(booking: Booking, *, spend: bool = False) -> None:
    if booking.subsidy_pool_id is None or booking.municipality_share <= 0:
        return
    pool = SubsidyPool.objects.select_for_update().get(pk=booking.subsidy_pool_id)
    share = booking.municipality_share
    if spend:
        _change_pool(pool, reserved=F("reserved") - share, spent=F("spent") + share)
        return
    _change_pool(pool, reserved=F("reserved") - share)
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


# --- Dates --------------------------------------------------------------------------------


def answer_deadline_for(municipality, starts_at: datetime, now: datetime | None = None):
    """The municipality's answer period, but never after the date itself."""
    now = now or timezone.now()
    return min(now + timedelta(days=municipality.booking_answer_days), starts_at)


def validate_dates(sessions, municipalities) -> None:
    for start, end in sessions:
        if end <= start:
            raise ValidationError(_("The end must be after the start."))
    check_not_in_holidays(sessions, winter_weeks_for(municipalities))


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


# --- Occasions ----------------------------------------------------------------------------


def save_occasion(occasion: Occasion, extra_sessions: list[tuple[datetime, datetime]] = ()):
    """Create or edit an occasion (and its course sessions) outside school holidays."""
    sessions = [(occasion.starts_at, occasion.ends_at), *extra_sessions]
    validate_dates(sessions, occasion.offer.association.municipalities.all())
    with transaction.atomic():
        if occasion.pk:
            current = Occasion.objects.select_for_update().get(pk=occasion.pk)
            occasion.reserved = current.reserved
        occasion.full_clean(exclude=["submit_key"])  # the insert checks the key
        occasion.save()
        occasion.sessions.all().delete()
        OccasionSession.objects.bulk_create(
            OccasionSession(occasion=occasion, starts_at=s, ends_at=e) for s, e in extra_sessions
        )
        Booking.objects.filter(occasion=occasion, state__in=OPEN_STATES).update(
            starts_at=occasion.starts_at, ends_at=occasion.ends_at
        )
        if occasion.free:
            offer_freed_places(occasion.pk)
    return occasion


def add_occasion(
    occasion: Occasion,
    extra_sessions: list[tuple[datetime, datetime]] = (),
    submit_key: uuid.UUID | None = None,
) -> Occasion:
    """Add a date to an offer (``save_occasion``). The same form sent again (``submit_key``)
    gets the date it added the first time; keys count per offer (an occasion records no
    creator, see ``bookings_occasion_submitted_once``)."""
    occasion.submit_key = submit_key
    try:
        return save_occasion(occasion, extra_sessions)
    except IntegrityError:
        if (first := sent_before(Occasion, submit_key, offer=occasion.offer)) is None:
            raise
        return first


def cancel_occasion(occasion: Occasion, *, user, reason: str) -> None:
    with transaction.atomic():
        locked = Occasion.objects.select_for_update().get(pk=occasion.pk)
        locked.is_cancelled = True
        locked.save(update_fields=["is_cancelled"])
        for booking in locked.bookings.filter(state__in=OPEN_STATES):
            transition(booking, T.CANCEL, user=user, actor=Actor.ASSOCIATION, note=reason)
        locked.waiting_list.filter(
            state__in=[WaitingListEntry.State.WAITING, WaitingListEntry.State.OFFERED]
        ).update(state=WaitingListEntry.State.WITHDRAWN)
        generations.bump(generations.SCHOOLS)  # update() sends no signal: "My school" lists


# --- Requests -----------------------------------------------------------------------------


class OccasionFull(BookingError):
    pass


def request_booking(
    *,
    user,
    school,
    offer,
    occasion: Occasion | None = None,
    preferred: list[tuple[datetime, datetime]] | None = None,
    classes: str,
    class_count: int,
    grade: int,
    pupils: int,
    contact_teacher,
    special_needs: str = "",
    message: str = "",
    sessions: int = 1,
    held_places: int = 0,
    submit_key: uuid.UUID | None = None,
) -> Booking:
    """A school's request. Books an occasion's places in the same transaction (or fails).

    ``submit_key`` is the booking form's key: the same form sent again gets the booking
    it made the first time, and reserves nothing (``sent_before``).
    """
    validate_group(offer, grade, pupils, class_count)
    now = timezone.now()
    try:
        with transaction.atomic():
            if occasion is not None:
                occ = Occasion.objects.select_for_update().get(pk=occasion.pk)
                if occ.offer_id != offer.pk:
                    raise BookingError(_("This date belongs to another offer."))
                if occ.is_cancelled or occ.starts_at <= now:
                    raise BookingError(_("This date can no longer be booked."))
                if occ.collects_requests(now):
                    raise BookingError(_("Requests for this date are allocated at the deadline."))
                places = places_for(occ, class_count, pupils)
                if places - held_places > occ.free:
                    raise OccasionFull(_("There are not enough free places left on this date."))
                _change_reserved(occ.pk, places - held_places)
                starts_at, ends_at = occ.starts_at, occ.ends_at
                sessions = occ.session_count
                preferred_json = []
            else:
                if not offer.on_request:
                    raise BookingError(_("Choose one of the offer's dates."))
                if not preferred or len(preferred) > 3:
                    raise BookingError(_("Give one to three preferred dates."))
                if any(start <= now for start, _end in preferred):
                    raise BookingError(_("The preferred dates must be in the future."))
                validate_dates(preferred, [school.municipality])
                places = 0
                starts_at, ends_at = preferred[0]
                preferred_json = [[s.isoformat(), e.isoformat()] for s, e in preferred]
            booking = Booking.objects.create(
                offer=offer,
                occasion=occasion,
                school=school,
                requested_by=user,
                contact_teacher=contact_teacher,
                starts_at=starts_at,
                ends_at=ends_at,
                preferred_dates=preferred_json,
                answer_deadline=answer_deadline_for(school.municipality, starts_at, now),
                classes=classes,
                class_count=class_count,
                grade=grade,
                pupils=pupils,
                places=places,
                sessions=sessions,
                special_needs=special_needs,
                message=message,
                price_total=expected_price(offer, pupils, sessions=sessions, classes=class_count),
                submit_key=submit_key,
            )
            record(booking, user=user, actor=Actor.SCHOOL, to_state=B.REQUESTED, note=message)
            # The key holds the new booking's id: no e-mail has it yet. The worker writes the
            # e-mail: this is the busiest write path, and the e-mail needs nothing from it.
            _notify_association(
                booking, "booking_requested", "requested", new_key=True, write_later=True
            )
    except (IntegrityError, BookingError):
        if (booking := sent_before(Booking, submit_key, requested_by=user)) is None:
            raise
    return booking


def record(booking, *, user, actor, transition="", from_state="", to_state="", note=""):
    return BookingEvent.objects.create(
        booking=booking,
        actor=user,
        actor_role=actor,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


# --- The lifecycle -----------------------------------------------------------------------


def can_cancel(booking: Booking, actor: str, now: datetime | None = None) -> bool:
    """Either side until the cut-off before the date; later only the consultant."""
    if booking.state not in OPEN_STATES:
        return False
    if actor == Actor.CONSULTANT:
        return True
    now = now or timezone.now()
    cutoff = booking.starts_at - timedelta(
        days=booking.school.municipality.cancellation_cutoff_days
    )
    return now < cutoff


def transition(
    booking: Booking,
    name: str,
    *,
    user=None,
    actor: str,
    note: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Booking:
    """Perform one transition from the table in ``states``. Raises BookingError if refused."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update()
            .select_related("offer__association", "school__municipality")
            .get(pk=booking.pk)
        )
        current = locked.state
        target = target_state(name, current, actor)
        if name == T.CANCEL:
            if not note.strip():
                raise BookingError(_("Give a reason for the cancellation."))
            if not can_cancel(locked, actor, now):
                raise BookingError(
                    _("It is too close to the date to cancel here. Contact the consultant.")
                )
        if name == T.EXPIRE and locked.answer_deadline > now:
            raise BookingError(_("The answer deadline has not passed yet."))
        if name == T.COMPLETE and locked.ends_at > now:
            raise BookingError(_("It has not taken place yet."))
        if name == T.CONFIRM and locked.occasion_id is None and locked.preferred_dates:
            chosen = starts_at.isoformat() if starts_at else locked.preferred_dates[0][0]
            match = [pair for pair in locked.preferred_dates if pair[0] == chosen]
            if not match:
                raise BookingError(_("Choose one of the school's preferred dates."))
            locked.starts_at = datetime.fromisoformat(match[0][0])
            locked.ends_at = datetime.fromisoformat(match[0][1])
        if name == T.CONFIRM and locked.starts_at <= now:
            raise BookingError(_("The date has passed."))
        if name == T.PROPOSE_ALTERNATIVE:
            if starts_at is None or ends_at is None or ends_at <= starts_at or starts_at <= now:
                raise BookingError(_("Give a future start and end for the new date."))
            validate_dates([(starts_at, ends_at)], [locked.school.municipality])
            locked.proposed_starts_at, locked.proposed_ends_at = starts_at, ends_at
            locked.answer_deadline = answer_deadline_for(locked.school.municipality, starts_at, now)
        if name == T.ACCEPT_ALTERNATIVE:
            if locked.proposed_starts_at <= now:
                raise BookingError(_("The proposed date has passed."))
            if locked.occasion_id:
                # Another date, not another place: the booking keeps the occasion's place.
                locked.place = locked.occasion.place
                _release_places(locked)
                locked.occasion = None
            locked.starts_at, locked.ends_at = locked.proposed_starts_at, locked.proposed_ends_at

        if target in (B.DECLINED, B.EXPIRED, B.CANCELLED):
            _release_places(locked)
            _release_subsidy(locked)
        if target == B.CONFIRMED:
            locked.confirmed_at = now
            _reserve_subsidy(locked)
        if target == B.COMPLETED:
            _release_subsidy(locked, spend=True)
        if name == T.CANCEL:
            locked.cancel_reason = note

        locked.state = target
        locked.save()
        record(
            locked,
            user=user,
            actor=actor,
            transition=name,
            from_state=current,
            to_state=target,
            note=note,
        )
        if name == T.COMPLETE:
            _notify_association(locked, "evaluation_request", "evaluate")
            _notify_school(locked, "evaluation_request", "evaluate")
        else:
            _notify_both(locked, name)
    return locked


def _change_reserved(occasion_id: int, delta: int) -> None:
    """Change an occasion's reserved places (the caller holds its row lock) and invalidate the
    cached public pages that show its free places (``update()`` sends no signal)."""
    Occasion.objects.filter(pk=occasion_id).update(reserved=F("reserved") + delta)
    pagecache.bump()


def _release_places(booking: Booking) -> None:
    if not booking.occasion_id or not booking.places:
        return
    occ = Occasion.objects.select_for_update().get(pk=booking.occasion_id)
    _change_reserved(occ.pk, -booking.places)
    booking.places = 0
    occasion_id = occ.pk
    transaction.on_commit(lambda: offer_freed_places(occasion_id))


def expire_overdue(now: datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    for pk in (
        Booking.objects.waiting().filter(answer_deadline__lte=now).values_list("pk", flat=True)
    ):
        try:
            transition(Booking(pk=pk), T.EXPIRE, actor=Actor.SYSTEM)
            count += 1
        except BookingError:
            continue  # answered meanwhile
    return count


def complete_past(now: datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    for pk in Booking.objects.filter(state=B.CONFIRMED, ends_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            transition(Booking(pk=pk), T.COMPLETE, actor=Actor.SYSTEM)
            count += 1
        except BookingError:
            continue
    return count


# --- Waiting list -------------------------------------------------------------------------


def join_waiting_list(
    *,
    user,
    school,
    occasion: Occasion,
    classes: str,
    class_count: int,
    grade: int,
    pupils: int,
    submit_key: uuid.UUID | None = None,
) -> WaitingListEntry:
    """Put the school on the occasion's waiting list (once). The booking form sent again
    (``submit_key``) gets the entry it made the first time."""
    validate_group(occasion.offer, grade, pupils, class_count)
    places = places_for(occasion, class_count, pupils)
    if places > occasion.capacity:
        raise BookingError(_("This date has fewer places than you need."))
    try:
        with transaction.atomic():
            if occasion.waiting_list.filter(
                school=school,
                state__in=[WaitingListEntry.State.WAITING, WaitingListEntry.State.OFFERED],
            ).exists():
                raise BookingError(_("Your school is already on the waiting list for this date."))
            entry = WaitingListEntry.objects.create(
                occasion=occasion,
                school=school,
                requested_by=user,
                places=places,
                classes=classes,
                class_count=class_count,
                grade=grade,
                pupils=pupils,
                submit_key=submit_key,
            )
            transaction.on_commit(lambda: offer_freed_places(occasion.pk))
    except (IntegrityError, BookingError):
        if (entry := sent_before(WaitingListEntry, submit_key, requested_by=user)) is None:
            raise
    return entry


def offer_freed_places(occasion_id: int, now: datetime | None = None) -> list[WaitingListEntry]:
    """Offer free places, in order, to the first waiting entries that fit; holds the places."""
    now = now or timezone.now()
    offered = []
    with transaction.atomic():
        occ = Occasion.objects.select_for_update().get(pk=occasion_id)
        if occ.is_cancelled or occ.starts_at <= now or occ.collects_requests(now):
            return offered
        free = occ.free
        for entry in occ.waiting_list.filter(state=WaitingListEntry.State.WAITING).select_related(
            "requested_by", "school"
        ):
            if free <= 0:
                break
            if entry.places > free:
                continue
            expires = min(now + timedelta(hours=occ.waiting_offer_hours), occ.starts_at)
            # Claim the entry only if it is still waiting: the school may have left the list
            # a moment ago (withdraw_waiting locks only the entry, not the occasion).
            claimed = WaitingListEntry.objects.filter(
                pk=entry.pk, state=WaitingListEntry.State.WAITING
            ).update(state=WaitingListEntry.State.OFFERED, offered_at=now, offer_expires_at=expires)
            if claimed != 1:
                continue
            free -= entry.places
            entry.state = WaitingListEntry.State.OFFERED
            entry.offered_at, entry.offer_expires_at = now, expires
            offered.append(entry)
            notify(
                kind="booking.waitlist_place",
                key=f"bookings:waiting:{entry.pk}:offered:{now:%Y%m%d%H%M%S}",
                to_email=entry.requested_by.email,
                user=entry.requested_by,
                template="waiting_place_offered",
                context={
                    "recipient_name": entry.requested_by.full_name,
                    "entry": entry,
                    "occasion": occ,
                    "action_url": absolute_url(reverse("bookings:my_school")),
                },
            )
        if offered:
            _change_reserved(occ.pk, sum(e.places for e in offered))
            generations.bump(generations.SCHOOLS)  # the entries changed with update()
    return offered


def accept_waiting_offer(entry: WaitingListEntry, *, user, contact_teacher) -> Booking:
    with transaction.atomic():
        locked = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.state != WaitingListEntry.State.OFFERED or locked.offer_expires_at <= (
            timezone.now()
        ):
            raise BookingError(_("This offer of a place is no longer open."))
        occ = locked.occasion
        booking = request_booking(
            user=user,
            school=locked.school,
            offer=occ.offer,
            occasion=occ,
            classes=locked.classes,
            class_count=locked.class_count,
            grade=locked.grade,
            pupils=locked.pupils,
            contact_teacher=contact_teacher,
            held_places=locked.places,
        )
        locked.state = WaitingListEntry.State.ACCEPTED
        locked.booking = booking
        locked.save(update_fields=["state", "booking"])
    return booking


def lapse_waiting_offers(now: datetime | None = None) -> int:
    """Offers of a place not taken in time lapse; the place goes to the next in line."""
    now = now or timezone.now()
    count = 0
    for entry in WaitingListEntry.objects.filter(
        state=WaitingListEntry.State.OFFERED, offer_expires_at__lte=now
    ):
        with transaction.atomic():
            locked = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
            if locked.state != WaitingListEntry.State.OFFERED:
                continue
            Occasion.objects.select_for_update().get(pk=locked.occasion_id)
            _change_reserved(locked.occasion_id, -locked.places)
            locked.state = WaitingListEntry.State.LAPSED
            locked.save(update_fields=["state"])
            occasion_id = locked.occasion_id
            transaction.on_commit(lambda oid=occasion_id: offer_freed_places(oid))
            count += 1
    return count


# --- Messages and evaluations -------------------------------------------------------------


def post_message(
    booking: Booking, *, user, side: str, body: str, submit_key: uuid.UUID | None = None
) -> BookingMessage:
    """Add a message to the booking's thread and e-mail the other side. The same form sent
    again (``submit_key``) gets the message it posted the first time, which may belong to
    another booking if the key was sent there: the caller shows the message's booking."""
    body = body.strip()
    if not body:
        raise BookingError(_("Write a message."))
    try:
        with transaction.atomic():
            message = BookingMessage.objects.create(
                booking=booking, author=user, author_side=side, body=body, submit_key=submit_key
            )
            context = {"message": message}
            if side == Actor.SCHOOL:
                _notify_association(booking, "booking_message", f"message:{message.pk}", context)
            else:
                _notify_school(booking, "booking_message", f"message:{message.pk}", context)
    except IntegrityError:
        if (message := sent_before(BookingMessage, submit_key, author=user)) is None:
            raise
    return message


def can_evaluate(booking: Booking, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return booking.state in (B.CONFIRMED, B.COMPLETED) and booking.starts_at <= now


def save_evaluation(
    booking: Booking, *, user, side: str, submit_key: uuid.UUID | None = None, **data
) -> Evaluation:
    """Create or change the side's evaluation of the booking (one per side).

    The row is unique per booking and side (bookings_evaluation_once): a second insert,
    even a simultaneous one, fails and finds the first row (``get_or_create``). The same
    form sent again by the same person (``submit_key``) leaves it as it is; a new form
    (another key) changes it.
    """
    if not can_evaluate(booking):
        raise BookingError(_("You can evaluate once the date has passed."))
    if side != Actor.ASSOCIATION:
        data.pop("pupils_joined", None)
    values = {"author": user, "submit_key": submit_key, **data}
    with transaction.atomic():
        evaluation, created = Evaluation.objects.select_for_update().get_or_create(
            booking=booking, side=side, defaults=values
        )
        sent_again = submit_key is not None and (evaluation.submit_key, evaluation.author_id) == (
            submit_key,
            user.pk,
        )
        if not created and not sent_again:
            for name, value in values.items():
                setattr(evaluation, name, value)
            evaluation.save()
    return evaluation


# --- E-mail -------------------------------------------------------------------------------


def booking_url(booking: Booking) -> str:
    return absolute_url(reverse("bookings:detail", args=[booking.pk]))


#: The e-mail kind (notifications.kinds) of each booking e-mail, for preferences and guards.
KIND_OF_TEMPLATE = {
    "booking_requested": "booking.requested",
    "booking_message": "booking.message",
    "evaluation_request": "booking.evaluation",
}


KIND_OF_TRANSITION = {
    "confirm": "booking.confirmed",
    "accept_alternative": "booking.confirmed",
    "decline": "booking.declined",
    "decline_alternative": "booking.declined",
    "propose_alternative": "booking.alternative",
    "cancel": "booking.cancelled",
    "expire": "booking.expired",
}


def _kind(template: str, extra=None) -> str:
    if template == "booking_changed" and extra and extra.get("kind"):
        return extra["kind"]
    return KIND_OF_TEMPLATE.get(template, "booking")


def _notify_association(booking, template, event, extra=None, new_key=False, write_later=False):
    association = booking.offer.association
    notify(
        new_key=new_key,
        write_later=write_later,
        kind=_kind(template, extra),
        key=f"bookings:{booking.pk}:{event}:association",
        to_email=association.contact_email,
        template=template,
        context={
            "recipient_name": association.contact_name,
            "booking": booking,
            "action_url": booking_url(booking),
            **(extra or {}),
        },
    )


def _notify_school(booking, template, event, extra=None):
    people = {booking.contact_teacher, booking.requested_by}
    for person in people:
        notify(
            kind=_kind(template, extra),
            key=f"bookings:{booking.pk}:{event}:user{person.pk}",
            to_email=person.email,
            user=person,
            template=template,
            context={
                "recipient_name": person.full_name,
                "booking": booking,
                "action_url": booking_url(booking),
                **(extra or {}),
            },
        )


def _notify_both(booking, name):
    event = f"{name}:{booking.events.count()}"
    extra = {"state_label": BookingState(booking.state).label, "kind": KIND_OF_TRANSITION.get(name)}
    _notify_association(booking, "booking_changed", event, extra)
    _notify_school(booking, "booking_changed", event, extra)


def withdraw_waiting(entry: WaitingListEntry) -> None:
    with transaction.atomic():
        locked = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.state == WaitingListEntry.State.OFFERED:
            Occasion.objects.select_for_update().get(pk=locked.occasion_id)
            _change_reserved(locked.occasion_id, -locked.places)
            occasion_id = locked.occasion_id
            transaction.on_commit(lambda: offer_freed_places(occasion_id))
        if locked.state in (WaitingListEntry.State.WAITING, WaitingListEntry.State.OFFERED):
            locked.state = WaitingListEntry.State.WITHDRAWN
            locked.save(update_fields=["state"])


def regenerate_feed(*, school=None, association=None):
    """A new secret address; the old one stops working at once."""
    from .models import CalendarFeed, _new_token

    owner = {"school": school} if school else {"association": association}
    feed, created = CalendarFeed.objects.get_or_create(**owner)
    if not created:
        feed.token = _new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


# --- Fair allocation ----------------------------------------------------------------------


def apply_for_allocation(
    *,
    user,
    school,
    occasion: Occasion,
    classes: str,
    class_count: int,
    grade: int,
    pupils: int,
    contact_teacher=None,
    submit_key: uuid.UUID | None = None,
) -> WaitingListEntry:
    """A request for an occasion that collects requests until its allocation deadline. A
    school may send several (one per class); the same form sent again (``submit_key``) gets
    the request it made the first time."""
    if not occasion.collects_requests():
        raise BookingError(_("Requests for this date are no longer collected."))
    validate_group(occasion.offer, grade, pupils, class_count)
    places = places_for(occasion, class_count, pupils)
    if places > occasion.capacity:
        raise BookingError(_("This date has fewer places than you need."))
    try:
        with transaction.atomic():
            entry = WaitingListEntry.objects.create(
                occasion=occasion,
                school=school,
                requested_by=user,
                contact_teacher=contact_teacher or user,
                places=places,
                classes=classes,
                class_count=class_count,
                grade=grade,
                pupils=pupils,
                for_allocation=True,
                submit_key=submit_key,
            )
    except IntegrityError:
        if (entry := sent_before(WaitingListEntry, submit_key, requested_by=user)) is None:
            raise
    return entry


def draw_order(entries: list[WaitingListEntry], seed: str) -> list[WaitingListEntry]:
    """One class per school first (each school's first request), then the rest; by lot."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    firsts, rest, seen = [], [], set()
    for entry in sorted(entries, key=lambda e: (e.created_at, e.pk)):
        (rest if entry.school_id in seen else firsts).append(entry)
        seen.add(entry.school_id)
    rng.shuffle(firsts)
    rng.shuffle(rest)
    return firsts + rest


def allocate(occasion_id: int, seed: str | None = None, now: datetime | None = None) -> list:
    """Allocate the places of an occasion that collected requests. Explained to each school."""
    now = now or timezone.now()
    with transaction.atomic():
        occ = Occasion.objects.select_for_update().get(pk=occasion_id)
        if occ.allocated_at or not occ.allocation_deadline or occ.allocation_deadline > now:
            return []
        occ.allocated_at = now
        occ.allocation_seed = seed or secrets.token_hex(8)
        occ.save(update_fields=["allocated_at", "allocation_seed"])
        entries = list(
            occ.waiting_list.filter(
                state=WaitingListEntry.State.WAITING, for_allocation=True
            ).select_related("school__municipality", "requested_by", "contact_teacher")
        )
        order = draw_order(entries, occ.allocation_seed)
        schools = len({e.school_id for e in entries})
        free = occ.free
        rank = 0
        results = []
        for position, entry in enumerate(order, start=1):
            won = entry.places <= free
            if won:
                free -= entry.places
                booking = request_booking(
                    user=entry.requested_by,
                    school=entry.school,
                    offer=occ.offer,
                    occasion=occ,
                    classes=entry.classes,
                    class_count=entry.class_count,
                    grade=entry.grade,
                    pupils=entry.pupils,
                    contact_teacher=entry.contact_teacher or entry.requested_by,
                )
                booking = transition(
                    booking,
                    T.CONFIRM,
                    actor=Actor.ASSOCIATION,
                    note=_("Allocated fairly at the deadline."),
                )
                entry.state = WaitingListEntry.State.ACCEPTED
                entry.booking = booking
            else:
                rank += 1
                entry.rank = rank
            with translation.override(settings.LANGUAGE_CODE):
                entry.allocation_note = _allocation_note(
                    entries=len(entries),
                    schools=schools,
                    capacity=occ.capacity,
                    position=position,
                    won=won,
                    rank=entry.rank,
                    seed=occ.allocation_seed,
                )
            entry.save(update_fields=["state", "booking", "rank", "allocation_note"])
            results.append(entry)
            notify(
                kind="booking",
                key=f"bookings:allocation:{entry.pk}",
                to_email=entry.requested_by.email,
                user=entry.requested_by,
                template="allocation_result",
                context={
                    "recipient_name": entry.requested_by.full_name,
                    "entry": entry,
                    "occasion": occ,
                    "won": won,
                    "action_url": absolute_url(reverse("bookings:my_school")),
                },
            )
    return results


def _allocation_note(*, entries, schools, capacity, position, won, rank, seed) -> str:
    text = _(
        "%(entries)s requests from %(schools)s schools for %(capacity)s places. First every "
        "school's first class took part in a draw, then the other classes. Your class was "
        "number %(position)s in the draw (seed %(seed)s)."
    ) % {
        "entries": entries,
        "schools": schools,
        "capacity": capacity,
        "position": position,
        "seed": seed,
    }
    if won:
        return text + " " + _("It got a place.")
    return (
        text
        + " "
        + _("There was no place left; it is number %(rank)s on the waiting list.") % {"rank": rank}
    )


def allocate_due(now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = Occasion.objects.filter(
        allocation_deadline__lte=now, allocated_at__isnull=True, is_cancelled=False
    ).values_list("pk", flat=True)
    return sum(1 for pk in due if allocate(pk, now=now) is not None)
