"""The booking states and which transitions are allowed between them, and by whom.

This is the single table of rules. ``bookings.services`` performs transitions
(locking, re-checking, recording and notifying); nothing else sets ``Booking.state``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BookingState(models.TextChoices):
    AWAITING_APPROVAL = (
        "awaiting_approval",
        pgettext_lazy("booking state", "Awaiting the school leader's approval"),
    )
    NOT_APPROVED = "not_approved", pgettext_lazy("booking state", "Not approved by the school")
    REQUESTED = "requested", pgettext_lazy("booking state", "Requested")
    ALTERNATIVE_PROPOSED = (
        "alternative_proposed",
        pgettext_lazy("booking state", "Alternative date proposed"),
    )
    CONFIRMED = "confirmed", pgettext_lazy("booking state", "Confirmed")
    DECLINED = "declined", pgettext_lazy("booking state", "Declined")
    EXPIRED = "expired", pgettext_lazy("booking state", "Expired")
    CANCELLED = "cancelled", pgettext_lazy("booking state", "Cancelled")
    COMPLETED = "completed", pgettext_lazy("booking state", "Completed")


B = BookingState


class Actor(models.TextChoices):
    SCHOOL = "school", _("School")
    #: A principal or department head of the booking's school (``schools.staff.is_leader_of``).
    LEADER = "leader", _("School leader")
    ASSOCIATION = "association", _("Association")
    CONSULTANT = "consultant", _("Consultant")
    SYSTEM = "system", _("System")


class BookingTransition(models.TextChoices):
    APPROVE = "approve", _("Approve")
    DISAPPROVE = "disapprove", _("Do not approve")
    CONFIRM = "confirm", _("Confirm")
    DECLINE = "decline", _("Decline")
    PROPOSE_ALTERNATIVE = "propose_alternative", _("Propose another date")
    ACCEPT_ALTERNATIVE = "accept_alternative", _("Accept the proposed date")
    DECLINE_ALTERNATIVE = "decline_alternative", _("Decline the proposed date")
    EXPIRE = "expire", _("Expire")
    CANCEL = "cancel", _("Cancel")
    COMPLETE = "complete", _("Mark as completed")


T = BookingTransition

#: States that hold a place on an occasion (and count as "open"). A booking waiting for its
#: school leader's approval holds its places: approved, it reaches the association exactly as
#: requested; not approved, expired or cancelled, the places go to the waiting list.
OPEN_STATES = frozenset({B.AWAITING_APPROVAL, B.REQUESTED, B.ALTERNATIVE_PROPOSED, B.CONFIRMED})
#: States waiting for an answer (the leader's or the association's).
WAITING_STATES = frozenset({B.AWAITING_APPROVAL, B.REQUESTED, B.ALTERNATIVE_PROPOSED})
#: Whose answer a booking sent to the association waits for: the association answers a
#: request, the school answers the date the association proposed instead. Each side's "waiting
#: for you" list. (A request awaiting its school leader's approval is the school's own matter:
#: the leader's list on "My school".)
WAITING_FOR = {B.REQUESTED: Actor.ASSOCIATION, B.ALTERNATIVE_PROPOSED: Actor.SCHOOL}
#: Final states.
FINAL_STATES = frozenset({B.NOT_APPROVED, B.DECLINED, B.EXPIRED, B.CANCELLED, B.COMPLETED})

#: transition -> (allowed source states, target state, who may perform it)
TRANSITIONS: dict[str, tuple[frozenset[str], str, frozenset[str]]] = {
    T.APPROVE: (frozenset({B.AWAITING_APPROVAL}), B.REQUESTED, frozenset({Actor.LEADER})),
    T.DISAPPROVE: (frozenset({B.AWAITING_APPROVAL}), B.NOT_APPROVED, frozenset({Actor.LEADER})),
    T.CONFIRM: (frozenset({B.REQUESTED}), B.CONFIRMED, frozenset({Actor.ASSOCIATION})),
    T.DECLINE: (frozenset({B.REQUESTED}), B.DECLINED, frozenset({Actor.ASSOCIATION})),
    T.PROPOSE_ALTERNATIVE: (
        frozenset({B.REQUESTED}),
        B.ALTERNATIVE_PROPOSED,
        frozenset({Actor.ASSOCIATION}),
    ),
    T.ACCEPT_ALTERNATIVE: (
        frozenset({B.ALTERNATIVE_PROPOSED}),
        B.CONFIRMED,
        frozenset({Actor.SCHOOL}),
    ),
    T.DECLINE_ALTERNATIVE: (
        frozenset({B.ALTERNATIVE_PROPOSED}),
        B.DECLINED,
        frozenset({Actor.SCHOOL}),
    ),
    T.EXPIRE: (WAITING_STATES, B.EXPIRED, frozenset({Actor.SYSTEM})),
    T.CANCEL: (
        OPEN_STATES,
        B.CANCELLED,
        frozenset({Actor.SCHOOL, Actor.ASSOCIATION, Actor.CONSULTANT}),
    ),
    T.COMPLETE: (frozenset({B.CONFIRMED}), B.COMPLETED, frozenset({Actor.SYSTEM})),
}


class BookingError(Exception):
    """A business rule refused the action. The message is for users."""


class TransitionNotAllowed(BookingError):
    pass


def target_state(transition: str, current: str, actor: str) -> str:
    sources, target, actors = TRANSITIONS[transition]
    if current not in sources:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the booking is “%(state)s”.")
            % {"action": T(transition).label, "state": B(current).label}
        )
    if actor not in actors:
        raise TransitionNotAllowed(
            _("You may not “%(action)s” this booking.") % {"action": T(transition).label}
        )
    return target


def allowed_transitions(current: str, actor: str) -> list[str]:
    return [
        t
        for t, (sources, _target, actors) in TRANSITIONS.items()
        if current in sources and actor in actors
    ]
