"""The registry of e-mail kinds: what each one is called and whether a user may turn it off.

An *essential* kind is needed for a booking to happen (a request, its answer, a reminder
before the occasion); users cannot turn it off. Everything else (digests, evaluation
requests, screening news that the portal also shows) may be turned off per user in
``/notifications/settings/`` or with the signed link at the bottom of the e-mail.

A kind that is not registered here is treated as essential: we would rather send an
e-mail too many than lose one nobody thought about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


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


KINDS: dict[str, Kind] = {}


def register(
    code: str,
    label,
    *,
    essential: bool,
    still_wanted: Callable | None = None,
    user_wants: Callable | None = None,
) -> Kind:
    kind = Kind(code, label, essential, still_wanted=still_wanted, user_wants=user_wants)
    KINDS[code] = kind
    return kind


def get(code: str) -> Kind:
    return KINDS.get(code) or Kind(code=code, label=code, essential=True)


def is_essential(code: str) -> bool:
    return get(code).essential


def optional_kinds() -> list[Kind]:
    """The kinds a user may turn off, in registry order."""
    return [k for k in KINDS.values() if not k.essential]


def _booking_still_wanted(notification) -> str:
    """Reminders are checked against the booking as it is *now* (see notifications.reminders)."""
    from . import reminders

    return reminders.booking_reminder_still_wanted(notification)


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
)
register(
    "screening.digest", _("Daily digest of submissions waiting for screening"), essential=False
)
register(
    "screening.changes_requested", _("Changes requested to your profile or offer"), essential=True
)
register("screening.approved", _("Your profile or offer was approved"), essential=True)
register("screening.rejected", _("Your profile or offer was rejected"), essential=True)
register("screening.suspended", _("Your profile or offer was suspended"), essential=True)
register("screening.expiring", _("An approval expires soon"), essential=True)
register("screening.expired", _("An approval has expired"), essential=True)
register("screening.reinstated", _("Your profile or offer was reinstated"), essential=True)
register("screening.message", _("A message from the consultant"), essential=True)
register("school.membership_approved", _("Your access to a school was approved"), essential=True)
register("need_answered", _("An association answered your school's need"), essential=False)
register("privacy.inactive_warning", _("Your account is about to be deleted"), essential=True)

# Accounts: always sent (the user asked for them).
register("confirm_email", _("Confirm your e-mail address"), essential=True)
register("password_reset", _("Choose a new password"), essential=True)

# Associations (sent by associations.services).
register("association_invitation", _("An invitation to join an association"), essential=True)
register("association_join_request", _("Someone asks to join your association"), essential=True)

# Bookings (sent by bookings.services). "booking" alone: any booking e-mail, always sent.
register("booking", _("News about a booking"), essential=True)
register("booking.requested", _("A school requests a booking"), essential=True)
register("booking.confirmed", _("A booking was confirmed"), essential=True)
register("booking.declined", _("A booking was declined"), essential=True)
register("booking.alternative", _("An alternative date was proposed"), essential=True)
register("booking.cancelled", _("A booking was cancelled"), essential=True)
register("booking.expired", _("A request expired without an answer"), essential=True)
register("booking.message", _("A new message about a booking"), essential=False)
register("booking.waitlist_place", _("A place became free on the waiting list"), essential=True)
register("booking.answer_deadline", _("A request waits for your answer"), essential=True)
register(
    "booking.reminder",
    _("Reminder before an occasion"),
    essential=True,
    still_wanted=_booking_still_wanted,
)
register(
    "booking.evaluation",
    _("Request to evaluate an occasion"),
    essential=False,
    still_wanted=_booking_still_wanted,
)

# Consultants.
register("consultant.weekly_digest", _("Weekly overview for consultants"), essential=False)
