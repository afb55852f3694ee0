"""The waiting list of a full date, and the fair allocation of a date that collects
requests until a deadline."""

from __future__ import annotations

import random
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import absolute_url, notify
from portal import generations
from portal.submitkeys import sent_before

from ..models import (
    Booking,
    Occasion,
    WaitingListEntry,
)
from ..states import (
    BookingError,
    BookingState,
)
from . import approval, lifecycle
from .pricing import quote
from .rules import change_reserved, places_for, validate_group

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
        if occ.is_cancelled or occ.starts_at <= now or occ.awaits_allocation:
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
            change_reserved(occ.pk, sum(e.places for e in offered))
            generations.bump(generations.CATALOG)  # the entries changed with update()
    return offered


def accept_waiting_offer(entry: WaitingListEntry, *, user, contact_teacher) -> Booking:
    with transaction.atomic():
        locked = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.state != WaitingListEntry.State.OFFERED or locked.offer_expires_at <= (
            timezone.now()
        ):
            raise BookingError(_("This offer of a place is no longer open."))
        occ = locked.occasion
        booking = lifecycle.request_booking(
            user=user,
            school=locked.school,
            offer=occ.offer,
            occasion=occ,
            contact_teacher=contact_teacher,
            **_group(locked),
            held_places=locked.places,
        )
        locked.state = WaitingListEntry.State.ACCEPTED
        locked.booking = booking
        locked.save(update_fields=["state", "booking"])
    return booking


def _group(entry: WaitingListEntry) -> dict:
    """The class or classes an entry asks places for, as ``request_booking`` takes them."""
    return {
        "classes": entry.classes,
        "class_count": entry.class_count,
        "grade": entry.grade,
        "pupils": entry.pupils,
    }


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
            change_reserved(locked.occasion_id, -locked.places)
            locked.state = WaitingListEntry.State.LAPSED
            locked.save(update_fields=["state"])
            occasion_id = locked.occasion_id
            transaction.on_commit(lambda oid=occasion_id: offer_freed_places(oid))
            count += 1
    return count


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
        if occasion.awaits_allocation:  # the deadline has passed, the draw has not run yet
            raise BookingError(
                _(
                    "Requests for this date are no longer collected: its places are being "
                    "allocated now. Places left after that can be booked in a few minutes."
                )
            )
        raise BookingError(_("Requests for this date are no longer collected."))
    validate_group(occasion.offer, grade, pupils, class_count)
    places = places_for(occasion, class_count, pupils)
    if places > occasion.capacity:
        raise BookingError(_("This date has fewer places than you need."))
    # A request the school's leader must approve is refused now, not at the deadline,
    # when the school has no leader in the portal to approve it.
    split = quote(
        occasion.offer,
        school,
        occasion.starts_at,
        pupils=pupils,
        sessions=occasion.session_count,
        classes=class_count,
    )
    approval.needs_approval(user, school, split.school)
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
            booking, refused = None, ""
            if entry.places <= free:
                try:
                    booking = _book_winner(occ, entry)
                except BookingError as error:  # e.g. the school's last leader left
                    refused = str(error)
                except ValidationError as error:  # e.g. the offer's grades changed since
                    refused = " ".join(error.messages)
            if booking is not None:
                free -= entry.places
                entry.state = WaitingListEntry.State.ACCEPTED
                entry.booking = booking
            elif refused:  # out of line: offered a place, it could not take it either
                entry.state = WaitingListEntry.State.REFUSED
            else:
                rank += 1
                entry.rank = rank
            with translation.override(settings.LANGUAGE_CODE):
                entry.allocation_note = _allocation_note(
                    entries=len(entries),
                    schools=schools,
                    capacity=occ.capacity,
                    position=position,
                    booking=booking,
                    refused=refused,
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
                    "won": booking is not None,
                    "action_url": absolute_url(reverse("bookings:my_school")),
                },
            )
    return results


def _book_winner(occ: Occasion, entry: WaitingListEntry) -> Booking:
    """The booking of places won in the draw: confirmed, as the association agreed to by
    offering the date for allocation; or, when the municipality wants a school leader to
    approve a booking this dear, waiting for the leader, holding the places (approved, it is
    confirmed). Raises BookingError or ValidationError, booking nothing, when it cannot be
    booked."""
    with transaction.atomic():
        booking = lifecycle.request_booking(
            user=entry.requested_by,
            school=entry.school,
            offer=occ.offer,
            occasion=occ,
            contact_teacher=entry.contact_teacher or entry.requested_by,
            **_group(entry),
        )
        if booking.state == BookingState.REQUESTED:  # not confirmed on booking, nor waiting
            booking = lifecycle.confirm_allocated(booking)
    return booking


def _allocation_note(*, entries, schools, capacity, position, booking, refused, rank, seed):
    counts = {
        "requests": ngettext("%(n)s request", "%(n)s requests", entries) % {"n": entries},
        "schools": ngettext("%(n)s school", "%(n)s schools", schools) % {"n": schools},
        "places": ngettext("%(n)s place", "%(n)s places", capacity) % {"n": capacity},
    }
    text = _(
        "%(requests)s from %(schools)s for %(places)s. First every school's first class took "
        "part in a draw, then the other classes. Your class was number %(position)s in the "
        "draw (seed %(seed)s)."
    ) % {**counts, "position": position, "seed": seed}
    if booking is not None and booking.state == BookingState.AWAITING_APPROVAL:
        return (
            text
            + " "
            + _(
                "It got a place. Because of its price a principal or department head of your "
                "school must approve the booking; the places are held for it until then."
            )
        )
    if booking is not None:
        return text + " " + _("It got a place.")
    if refused:
        return text + " " + _("It could not be booked: %(reason)s") % {"reason": refused}
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


def withdraw_waiting(entry: WaitingListEntry) -> None:
    with transaction.atomic():
        locked = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.state == WaitingListEntry.State.OFFERED:
            Occasion.objects.select_for_update().get(pk=locked.occasion_id)
            change_reserved(locked.occasion_id, -locked.places)
            occasion_id = locked.occasion_id
            transaction.on_commit(lambda: offer_freed_places(occasion_id))
        if locked.state in (WaitingListEntry.State.WAITING, WaitingListEntry.State.OFFERED):
            locked.state = WaitingListEntry.State.WITHDRAWN
            locked.save(update_fields=["state"])
