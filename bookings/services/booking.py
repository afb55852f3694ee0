"""What a school's booking form leads to: one decision, in one place.

A date that collects requests until a deadline takes the request into its fair allocation;
otherwise the school requests a booking (confirmed at once on a date the association
confirms on booking), and a full date puts it on the waiting list when it asked for that.
The view only tells the outcome.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from ..models import Booking, Occasion, WaitingListEntry
from ..states import BookingState
from . import lifecycle, waiting


@dataclass(frozen=True)
class Outcome:
    """``allocation``: the request takes part in the draw at ``occasion``'s deadline;
    ``waiting``: the date is full and the school is on its waiting list (``entry``);
    ``requested``: the booking is requested (``booking``);
    ``confirmed``: the date is confirmed on booking and the booking is confirmed."""

    kind: str
    occasion: Occasion | None = None
    booking: Booking | None = None
    entry: WaitingListEntry | None = None


def book(
    *,
    user,
    school,
    offer,
    occasion: Occasion | None,
    contact_teacher,
    classes: str,
    class_count: int,
    grade: int,
    pupils: int,
    preferred: list[tuple[datetime, datetime]] | None = None,
    sessions: int = 1,
    special_needs: str = "",
    message: str = "",
    join_waiting_list: bool = False,
    submit_key: uuid.UUID | None = None,
) -> Outcome:
    """Answer a booking form. Raises ``OccasionFull`` for a full date the school did not
    want to wait for, ``BookingError`` or ``ValidationError`` when a rule says no."""
    group = {"classes": classes, "class_count": class_count, "grade": grade, "pupils": pupils}
    if occasion is not None and occasion.awaits_allocation:
        waiting.apply_for_allocation(
            user=user,
            school=school,
            occasion=occasion,
            contact_teacher=contact_teacher,
            submit_key=submit_key,
            **group,
        )
        return Outcome("allocation", occasion=occasion)
    try:
        booking = lifecycle.request_booking(
            user=user,
            school=school,
            offer=offer,
            occasion=occasion,
            preferred=preferred,
            contact_teacher=contact_teacher,
            special_needs=special_needs,
            message=message,
            sessions=sessions,
            submit_key=submit_key,
            **group,
        )
    except lifecycle.OccasionFull:
        if not join_waiting_list:
            raise
        entry = waiting.join_waiting_list(
            user=user, school=school, occasion=occasion, submit_key=submit_key, **group
        )
        return Outcome("waiting", occasion=occasion, entry=entry)
    if booking.state == BookingState.CONFIRMED:
        return Outcome("confirmed", occasion=occasion, booking=booking)
    return Outcome("requested", booking=booking)
