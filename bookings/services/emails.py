"""What a booking's e-mails say and whom they go to (the outbox and delivery are
``notifications``')."""

from __future__ import annotations

from django.urls import reverse

from notifications.services import absolute_url, notify

from ..models import (
    Booking,
)

# --- E-mail -------------------------------------------------------------------------------


def booking_url(booking: Booking) -> str:
    return absolute_url(reverse("bookings:detail", args=[booking.pk]))


#: The e-mail kind (notifications.kinds) of each booking e-mail, for preferences and guards.
KIND_OF_TEMPLATE = {
    "approval_requested": "booking.approval",
    "booking_requested": "booking.requested",
    "booking_message": "booking.message",
    "evaluation_request": "booking.evaluation",
}


KIND_OF_TRANSITION = {
    "approve": "booking.approval_answer",
    "disapprove": "booking.approval_answer",
    "confirm": "booking.confirmed",
    "accept_alternative": "booking.confirmed",
    "decline": "booking.declined",
    "decline_alternative": "booking.declined",
    "propose_alternative": "booking.alternative",
    "cancel": "booking.cancelled",
    "expire": "booking.expired",
}


#: Transitions whose note the e-mail repeats, and whose it is: a school leader's decision, an
#: association's reason to decline (the cancellation's reason has its own line).
NOTE_FROM = {"approve": "leader", "disapprove": "leader", "decline": "association"}


def _kind(template: str, extra=None) -> str:
    if template == "booking_changed" and extra and extra.get("kind"):
        return extra["kind"]
    return KIND_OF_TEMPLATE.get(template, "booking")


def notify_association(booking, template, event, extra=None, new_key=False):
    association = booking.offer.association
    notify(
        new_key=new_key,
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


def notify_school(booking, template, event, extra=None):
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


def notify_both(booking, name, note="", association=True):
    """Tell both sides of a transition, with its note (a leader's reason). The association
    only of a booking it received (``sent_to_association``) and when ``association``."""
    event = f"{name}:{booking.events.count()}"
    # The state's code: its label is looked up when the e-mail is written, in the
    # recipient's language (``booking_state_label`` in the templates).
    extra = {
        "state": str(booking.state),
        "kind": KIND_OF_TRANSITION.get(name),
        "note": note if name in NOTE_FROM else "",
        "note_from": NOTE_FROM.get(name, ""),
    }
    if association and booking.sent_to_association:
        notify_association(booking, "booking_changed", event, extra)
    notify_school(booking, "booking_changed", event, extra)
