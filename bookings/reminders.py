"""Booking reminders: before an occasion, after it (the evaluation) and before an unanswered
request's deadline, by the municipality's reminder rules (``notifications.models.ReminderRule``).

Each scan walks the due bookings in batches (``.iterator(chunk_size=...)``, never every row
in memory), queues one outbox row per (rule, booking, recipient, *current* date) and sends
each batch over one SMTP connection. Because the date is part of the key, a moved booking
gets a reminder for its new date; because the row carries a guard that is checked again just
before sending, a booking cancelled or moved after queueing gets nothing for the old date.

A booking is in the windows of GRACE_DAYS + 1 days' scans, so scans of two dates can reach
the same key, and the first to insert it writes the e-mail. The e-mail counts the days from
the day it is written, not from an earlier scan date (a task of yesterday's scan that waited
overnight counts from today), so in production, where no scan is dated in the future, it
says the same whichever scan wrote it. Tests that pass future dates run one date's scan after
the other's, as the days would.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from notifications import reminders as rules
from notifications.models import Notification, ReminderRule
from notifications.services import notify

from . import tasks
from .models import Booking
from .services import booking_url
from .states import BookingState

#: Associations are reminded this many days before an unanswered request's deadline.
ANSWER_REMINDER_DAYS = 3
BATCH_SIZE = rules.BATCH_SIZE


def booking_reminder_still_wanted(notification: Notification) -> str:
    """ "" to send; otherwise why not (cancelled, moved, gone)."""
    guard = notification.guard or {}
    if "booking" not in guard:
        return ""
    booking = Booking.objects.filter(pk=guard["booking"]).first()
    if booking is None:
        return "the booking no longer exists"
    if booking.state not in guard.get("states", []):
        return f"the booking is now {booking.state}"
    field = guard.get("field")
    if field and rules.local_date(getattr(booking, field)).isoformat() != guard.get("on"):
        return f"the booking moved ({field} is now {rules.local_date(getattr(booking, field))})"
    return ""


def _recipients(rule: ReminderRule, booking) -> list[tuple[str, str, object, str]]:
    """(side, address, user or None, name) for each recipient the rule names."""
    out = []
    teacher = booking.contact_teacher
    if rule.to_school() and teacher and teacher.email:
        out.append(("school", teacher.email, teacher, teacher.full_name))
    association = booking.offer.association
    if rule.to_association() and association.contact_email:
        out.append(("association", association.contact_email, None, association.contact_name))
    return out


def _booking_context(booking) -> dict:
    offer = booking.offer
    place = booking.where or offer.location_address or booking.school.name
    return {
        "booking": booking,
        "offer_title": offer.title,
        "association_name": offer.association.name,
        "school_name": booking.school.name,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "place": place,
        "pupils": booking.pupils,
        "classes": booking.classes,
        "what_to_bring": offer.what_to_bring,
        "action_url": booking_url(booking),
    }


def queue_rule_reminder(rule: ReminderRule, booking, today: date) -> list[Notification]:
    """Queue (not send) this rule's e-mails for one booking; already-queued keys are skipped.

    ``today`` is the scan's date; the e-mail counts its days from the date it is written on,
    which is later when the scan's task waited in the queue overnight.
    """
    field = "starts_at" if rule.anchor == ReminderRule.Anchor.BEFORE_START else "ends_at"
    anchor_day = rules.local_date(getattr(booking, field))
    written_on = max(today, timezone.localdate())
    on = anchor_day.isoformat()
    states = ["confirmed"] if field == "starts_at" else ["confirmed", "completed"]
    queued = []
    for side, email, user, name in _recipients(rule, booking):
        key = f"{rule.kind}:rule={rule.pk}:booking={booking.pk}:{side}={rules.email_hash(email)}:on={on}"
        notification = notify(
            kind=rule.kind,
            key=key,
            to_email=email,
            template=rule.template,
            context={
                **_booking_context(booking),
                "recipient_name": name,
                "side": side,
                "days": abs((anchor_day - written_on).days),
            },
            user=user,
            deliver=False,
            guard={"booking": booking.pk, "states": states, "field": field, "on": on},
        )
        if notification is not None:
            queued.append(notification)
    return queued


def due_bookings(rule: ReminderRule, today: date):
    lo, hi = rules.anchor_window(rule, today)
    qs = Booking.objects.for_municipality(rule.municipality)
    if rule.anchor == ReminderRule.Anchor.BEFORE_START:
        qs = qs.filter(
            state=BookingState.CONFIRMED,
            starts_at__gte=max(lo, timezone.now()),
            starts_at__lt=hi,
        )
    else:
        qs = qs.filter(
            state__in=[BookingState.CONFIRMED, BookingState.COMPLETED],
            ends_at__gte=lo,
            ends_at__lt=min(hi, timezone.now()),
        )
    return qs.select_related(
        "offer__association", "school", "contact_teacher", "occasion"
    ).order_by("pk")


def remind(rule: ReminderRule, bookings, today: date) -> int:
    """Queue this rule's e-mails for these bookings and send them over one connection."""
    queued = []
    for booking in bookings:
        queued.extend(queue_rule_reminder(rule, booking, today))
    return rules.send_batch(queued)


def scan_booking_reminders(today: date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Queue and send every reminder that is due today, in this process. Returns the number
    sent.

    Safe to run twice at the same time: only the run that inserts a key sends it.
    """
    today = today or timezone.localdate()
    sent = 0
    for rule in rules.active_rules():
        bookings = due_bookings(rule, today).iterator(chunk_size=batch_size)
        for batch in rules.batches(bookings, batch_size):
            sent += remind(rule, batch, today)
    return sent


def dispatch_booking_reminders(today: date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """The beat job's way: one task per batch of due bookings (``send_booking_reminders``),
    so that every worker process, on every machine, takes a share. Returns the number of
    batches. Each task checks again that its bookings are due."""
    today = today or timezone.localdate()
    batches = 0
    for rule in rules.active_rules():
        ids = due_bookings(rule, today).values_list("pk", flat=True).iterator(batch_size)
        for batch in rules.batches(ids, batch_size):
            tasks.send_booking_reminders.delay(rule.pk, batch, today.isoformat())
            batches += 1
    return batches


def remind_bookings(rule_id: int, booking_ids: list[int], today: date) -> int:
    """One batch of ``dispatch_booking_reminders``: the bookings still due get their e-mails."""
    rule = rules.active_rules().filter(pk=rule_id).first()
    if rule is None:  # deactivated or deleted since the scan
        return 0
    return remind(rule, due_bookings(rule, today).filter(pk__in=booking_ids), today)


def scan_answer_deadlines(today: date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remind the association ANSWER_REMINDER_DAYS days before an unanswered request's deadline."""
    today = today or timezone.localdate()
    hi = rules.day_start(today + timedelta(days=ANSWER_REMINDER_DAYS + 1))
    qs = (
        Booking.objects.filter(
            state=BookingState.REQUESTED,
            answer_deadline__gte=timezone.now(),
            answer_deadline__lt=hi,
        )
        .select_related("offer__association", "school", "contact_teacher", "occasion")
        .order_by("pk")
    )
    sent = 0
    for batch in rules.batches(qs.iterator(chunk_size=batch_size), batch_size):
        queued = []
        for booking in batch:
            association = booking.offer.association
            if not association.contact_email:
                continue
            on = rules.local_date(booking.answer_deadline).isoformat()
            notification = notify(
                kind="booking.answer_deadline",
                key=f"booking.answer_deadline:booking={booking.pk}:on={on}",
                to_email=association.contact_email,
                template="reminder_answer_deadline",
                context={
                    **_booking_context(booking),
                    "recipient_name": association.contact_name,
                    "answer_deadline": booking.answer_deadline,
                },
                deliver=False,
                guard={
                    "booking": booking.pk,
                    "states": [BookingState.REQUESTED.value],
                    "field": "answer_deadline",
                    "on": on,
                },
            )
            if notification is not None:
                queued.append(notification)
        sent += rules.send_batch(queued)
    return sent
