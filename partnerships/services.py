"""Changing a partnership's state: the only code that does (row lock, allowed transitions,
the audit record in the screening trail)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from screening.services import history, record

from .models import Partnership, PartnershipState

S = PartnershipState

#: action: (states it starts from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "activate": ((S.PROPOSED,), S.ACTIVE),
    "end": ((S.PROPOSED, S.ACTIVE), S.ENDED),  # a proposal not taken up ends too
}

ACTION_LABELS = {"activate": _("Activated"), "end": _("Ended")}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def allowed_actions(partnership: Partnership) -> list[str]:
    return [a for a, (sources, _target) in TRANSITIONS.items() if partnership.state in sources]


@transaction.atomic
def transition(partnership: Partnership, action: str, *, by=None, message: str = "") -> Partnership:
    """Move the partnership along ``TRANSITIONS`` and write it in the audit trail."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."), code="unknown_action")
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    sources, target = TRANSITIONS[action]
    if locked.state not in sources:
        raise ValidationError(
            _("A partnership that is %(state)s cannot be changed this way."),
            code="not_allowed",
            params={"state": locked.get_state_display().lower()},
        )
    before = locked.state
    locked.state = target
    locked.save(update_fields=["state", "updated_at"])
    record(
        locked,
        transition=action,
        from_state=before,
        to_state=target,
        actor=by,
        message=message,
        internal=True,
    )
    partnership.state, partnership.updated_at = locked.state, locked.updated_at
    return partnership


def audit_trail(partnership: Partnership):
    """Every change of state, oldest first (the screening trail, internal events included)."""
    return history(partnership, include_internal=True)
