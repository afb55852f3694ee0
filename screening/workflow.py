"""The screening states and which transitions are allowed between them.

This is the single table of rules. ``screening.services`` performs transitions
(locking, re-checking, recording and notifying); nothing else sets ``state``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ScreeningState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("screening state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("screening state", "Submitted")
    IN_REVIEW = "in_review", pgettext_lazy("screening state", "In review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("screening state", "Changes requested")
    APPROVED = "approved", pgettext_lazy("screening state", "Approved")
    REJECTED = "rejected", pgettext_lazy("screening state", "Rejected")
    SUSPENDED = "suspended", pgettext_lazy("screening state", "Suspended")
    EXPIRED = "expired", pgettext_lazy("screening state", "Expired")
    WITHDRAWN = "withdrawn", pgettext_lazy("screening state", "Withdrawn")


S = ScreeningState


class Transition(models.TextChoices):
    SUBMIT = "submit", _("Submit for screening")
    START_REVIEW = "start_review", _("Start review")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    SUSPEND = "suspend", _("Suspend")
    REINSTATE = "reinstate", _("Reinstate")
    EXPIRE = "expire", _("Expire")
    WITHDRAW = "withdraw", _("Withdraw")
    REOPEN = "reopen", _("Reopen as draft")


#: transition -> (allowed source states, target state)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Transition.SUBMIT: (frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.EXPIRED}), S.SUBMITTED),
    Transition.START_REVIEW: (frozenset({S.SUBMITTED}), S.IN_REVIEW),
    Transition.REQUEST_CHANGES: (frozenset({S.SUBMITTED, S.IN_REVIEW}), S.CHANGES_REQUESTED),
    Transition.APPROVE: (frozenset({S.SUBMITTED, S.IN_REVIEW}), S.APPROVED),
    Transition.REJECT: (frozenset({S.SUBMITTED, S.IN_REVIEW}), S.REJECTED),
    Transition.SUSPEND: (frozenset({S.APPROVED}), S.SUSPENDED),
    Transition.REINSTATE: (frozenset({S.SUSPENDED}), S.APPROVED),
    Transition.EXPIRE: (frozenset({S.APPROVED}), S.EXPIRED),
    Transition.WITHDRAW: (
        frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED, S.EXPIRED}),
        S.WITHDRAWN,
    ),
    Transition.REOPEN: (frozenset({S.WITHDRAWN, S.REJECTED}), S.DRAFT),
}

#: States in which the association may edit the working copy in place.
EDITABLE_STATES = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
#: States waiting for a consultant.
WAITING_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW})


class TransitionNotAllowed(Exception):
    """Raised when a transition is not allowed from the current state. The message is for users."""


class AlreadyDone(TransitionNotAllowed):
    """Raised when the item is where the action would take it (``DONE_STATES``): the same
    action sent again, by a second click or from an old tab. A user's page answers as the
    first time; a consultant's bulk action still reports it as refused."""


class IncompleteSubmission(TransitionNotAllowed):
    """Raised when an item is submitted with required fields still empty.

    ``missing`` maps each field name to its message (``Screenable.missing_for_submission``).
    """

    def __init__(self, missing: dict[str, str]):
        self.missing = dict(missing)
        super().__init__(
            _("Something required is still missing. Fill it in, then submit it for screening.")
        )


#: The states that a user's own action leads to, also after a consultant picked the item up.
DONE_STATES: dict[str, frozenset[str]] = {
    Transition.SUBMIT: WAITING_STATES,
    Transition.WITHDRAW: frozenset({S.WITHDRAWN}),
    Transition.REOPEN: frozenset({S.DRAFT}),
}


def target_state(transition: str, current: str) -> str:
    sources, target = TRANSITIONS[transition]
    if current not in sources:
        refusal = (
            AlreadyDone if current in DONE_STATES.get(transition, ()) else TransitionNotAllowed
        )
        raise refusal(
            _("“%(action)s” is not possible while the item is “%(state)s”.")
            % {"action": Transition(transition).label, "state": ScreeningState(current).label}
        )
    return target


def allowed_transitions(current: str) -> list[str]:
    return [t for t, (sources, _target) in TRANSITIONS.items() if current in sources]
