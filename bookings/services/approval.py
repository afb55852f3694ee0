"""A school leader's approval of a dear booking, before the association receives it.

A municipality may set an amount (``Municipality.leader_approval_above``): a request whose
share for the school (``pricing.split_price``) is higher waits in ``awaiting_approval``,
holding its places, until a principal or department head of the school approves it (it is
then requested from the association, as any request) or does not (the teacher is told the
leader's reason, the places go to the waiting list). The association neither sees nor hears
of it until then. A leader's own request needs no approval.

The e-mail to the leaders carries a signed link (``approval_url``) that only opens the
booking: the leader must be signed in, and decides with a form (POST, CSRF) on the booking
page or on "My school". A link that decided by itself would be a bearer credential: a mail
scanner or a forwarded e-mail would approve. The decision is a ``transition`` under the
booking's row lock, so a second click finds the booking decided and changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.services import absolute_url, notify
from portal.formatting import money
from schools.staff import leaders_of

from ..models import Booking
from ..states import BookingError

SALT = "bookings.approval"
#: How long the e-mail's link opens the booking (the request expires sooner).
LINK_MAX_AGE = 60 * 60 * 24 * 90


def is_leader(user, school) -> bool:
    """From the user's roles of this request (no query)."""
    return any(m.school_id == school.pk and m.is_leader for m in user.active_school_memberships)


def needs_approval(user, school, school_share: Decimal) -> bool:
    """Does the request wait for a leader? Raises BookingError when it would, and the school
    has no leader in the portal to approve it (it would wait for nobody)."""
    municipality = school.municipality
    if not municipality.needs_leader_approval(school_share) or is_leader(user, school):
        return False
    if not leaders_of(school):
        raise BookingError(
            _(
                "When the school pays more than %(amount)s DKK, a principal or department head "
                "of the school must approve the booking, and none of them uses the portal yet. "
                "Ask your school's leader to join the school in the portal."
            )
            % {"amount": money(municipality.leader_approval_above)}
        )
    return True


def approval_url(booking: Booking, leader) -> str:
    token = signing.dumps({"b": booking.pk, "u": leader.pk}, salt=SALT, compress=True)
    return absolute_url(reverse("bookings:approval_link", args=[token]))


def booking_pk_from(token: str) -> int | None:
    """The booking a link names, or None for a link that is forged or too old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("b"), int):
        return None
    return data["b"]


def ask_leaders(booking: Booking) -> None:
    """E-mail the school's leaders that a booking waits for their approval."""
    for leader in leaders_of(booking.school):
        notify(
            kind="booking.approval",
            key=f"bookings:{booking.pk}:approval:user{leader.pk}",
            new_key=True,
            to_email=leader.email,
            user=leader,
            template="approval_requested",
            context={
                "recipient_name": leader.full_name,
                "booking": booking,
                "threshold": booking.school.municipality.leader_approval_above,
                "action_url": approval_url(booking, leader),
            },
        )
