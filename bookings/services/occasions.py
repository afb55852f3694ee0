"""An offer's fixed dates: adding, editing and cancelling them."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction

from portal import generations
from portal.submitkeys import sent_before

from ..models import (
    Booking,
    Occasion,
    OccasionSession,
    WaitingListEntry,
)
from ..states import (
    OPEN_STATES,
    Actor,
    BookingTransition,
)
from . import waiting
from .lifecycle import transition
from .rules import validate_dates

T = BookingTransition


# --- Occasions ----------------------------------------------------------------------------


def save_occasion(occasion: Occasion, extra_sessions: list[tuple[datetime, datetime]] = ()):
    """Create or edit an occasion (and its course sessions) in the offer's season, outside
    school holidays."""
    sessions = [(occasion.starts_at, occasion.ends_at), *extra_sessions]
    offer = occasion.offer
    validate_dates(sessions, offer.association.municipalities.all(), offer)
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
            waiting.offer_freed_places(occasion.pk)
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
        generations.bump(generations.CATALOG)  # update() sends no signal: "My school" lists
