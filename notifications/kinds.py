"""The registry of e-mail kinds: what each one is called and whether a user may turn it off.

An *essential* kind is needed for a booking to happen (a request, its answer, a reminder
before the occasion); users cannot turn it off. Everything else (digests, evaluation
requests, screening news that the portal also shows) may be turned off per user in
``/notifications/settings/`` or with the signed link at the bottom of the e-mail.

A kind that is not registered here is treated as essential: we would rather send an
e-mail too many than lose one nobody thought about.

A kind's *audience* says whom it can concern (consultants, association members, school
staff; nobody named: everyone). The settings page lists only the kinds that concern the
user; it does not change who is sent what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Audience(Enum):
    """A role a kind can concern; the value is the user's property that says it."""

    CONSULTANTS = "is_consultant"
    ASSOCIATIONS = "is_association_member"
    SCHOOLS = "is_school_staff"


EVERYONE: frozenset[Audience] = frozenset()
CONSULTANTS = frozenset({Audience.CONSULTANTS})
ASSOCIATIONS = frozenset({Audience.ASSOCIATIONS})
SCHOOLS = frozenset({Audience.SCHOOLS})
BOOKING_PARTIES = ASSOCIATIONS | SCHOOLS


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    essential: bool
    #: Optional check, run just before sending: returns a reason (str) when the e-mail is
    #: no longer wanted (booking cancelled or moved), or "" to send it.
    still_wanted: Callable | None = field(default=None, compare=False)
    #: Optional check of the recipient's other choices, e.g. a consultant who chose a daily
    #: digest instead of one e-mail per submission: returns False to skip.
    user_wants: Callable | None = field(default=None, compare=False)
    #: Whom the kind can concern (any of these roles); empty: everyone.
    audience: frozenset[Audience] = EVERYONE
    #: Optional files attached when the e-mail is sent: called with the row, returns a list
    #: of (filename, content, MIME type), e.g. a meeting's ``.ics`` as it is at sending time.
    attachments: Callable | None = field(default=None, compare=False)

    def concerns(self, user) -> bool:
        """Is this kind about something the user can take part in (see Audience)?"""
        return not self.audience or any(getattr(user, a.value) for a in self.audience)


KINDS: dict[str, Kind] = {}


def register(
    code: str,
    label,
    *,
    essential: bool,
    still_wanted: Callable | None = None,
    user_wants: Callable | None = None,
    audience: frozenset[Audience] = EVERYONE,
    attachments: Callable | None = None,
) -> Kind:
    kind = Kind(
        code,
        label,
        essential,
        still_wanted=still_wanted,
        user_wants=user_wants,
        audience=audience,
        attachments=attachments,
    )
    KINDS[code] = kind
    return kind


def get(code: str) -> Kind:
    return KINDS.get(code) or Kind(code=code, label=code, essential=True)


def is_essential(code: str) -> bool:
    return get(code).essential


def optional_kinds(user=None) -> list[Kind]:
    """The kinds a user may turn off, in registry order; with a user, those that concern them."""
    return [k for k in KINDS.values() if not k.essential and (user is None or k.concerns(user))]


def essential_kinds(user=None) -> list[Kind]:
    """The kinds always sent, in registry order; with a user, those that concern them."""
    return [k for k in KINDS.values() if k.essential and (user is None or k.concerns(user))]


def _wants_each_submission(user) -> bool:
    """Consultants who chose the daily digest get no e-mail per submission."""
    consultant = getattr(user, "consultant", None)
    return consultant is None or consultant.submission_emails != "daily"


# Screening (sent by screening.services).
register(
    "screening.submitted",
    _("A submission waits for screening"),
    essential=False,
    user_wants=_wants_each_submission,
    audience=CONSULTANTS,
)
register(
    "screening.digest",
    _("Daily digest of submissions waiting for screening"),
    essential=False,
    audience=CONSULTANTS,
)
register(
    "screening.changes_requested",
    _("Changes requested to your profile or offer"),
    essential=True,
    audience=ASSOCIATIONS,
)
register(
    "screening.approved",
    _("Your profile or offer was approved"),
    essential=True,
    audience=ASSOCIATIONS,
)
register(
    "screening.rejected",
    _("Your profile or offer was rejected"),
    essential=True,
    audience=ASSOCIATIONS,
)
register(
    "screening.suspended",
    _("Your profile or offer was suspended"),
    essential=True,
    audience=ASSOCIATIONS,
)
register("screening.expiring", _("An approval expires soon"), essential=True, audience=ASSOCIATIONS)
register("screening.expired", _("An approval has expired"), essential=True, audience=ASSOCIATIONS)
register(
    "screening.reinstated",
    _("Your profile or offer was reinstated"),
    essential=True,
    audience=ASSOCIATIONS,
)
register(
    "screening.message",
    _("A message from the consultant"),
    essential=True,
    audience=ASSOCIATIONS,
)
# Sent to someone who is not school staff yet: everyone.
register("school.membership_approved", _("Your access to a school was approved"), essential=True)
# schools.apps registers it again with its own label (and the same audience).
register(
    "need_answered",
    _("An association answered your school's need"),
    essential=False,
    audience=SCHOOLS,
)
register("privacy.inactive_warning", _("Your account is about to be deleted"), essential=True)

# Accounts: always sent (the user asked for them).
register("confirm_email", _("Confirm your e-mail address"), essential=True)
register("password_reset", _("Choose a new password"), essential=True)

# Associations (sent by associations.services). An invitation goes to someone who may not be
# a member yet: everyone.
register("association_invitation", _("An invitation to join an association"), essential=True)
register(
    "association_join_request",
    _("Someone asks to join your association"),
    essential=True,
    audience=ASSOCIATIONS,
)

# Bookings register their kinds in bookings.apps (with the reminders' still-wanted check).

# Consultants.
register(
    "consultant.weekly_digest",
    _("Weekly overview for consultants"),
    essential=False,
    audience=CONSULTANTS,
)
