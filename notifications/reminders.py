"""Reminder rules: when, for whom and in which kind a municipality's reminders go out, and
the helpers every scan of them uses (the window a rule is due in, batches, sending a batch).

The scans themselves belong to what they remind of: booking reminders are in
``bookings.reminders``, status meetings' in ``partnerships.meeting_services``; each scans
only the rules of its own kinds (``active_rules(kinds)``, the booking kinds by default).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from municipalities.models import Municipality

from . import services
from .models import Notification, ReminderRule

#: Rows per batch: one query chunk, one SMTP connection.
BATCH_SIZE = 200
#: A reminder whose day was missed (beat was down) is still sent this many days late.
GRACE_DAYS = 1

#: (kind, days, anchor, recipients): the rules every new municipality starts with.
DEFAULT_RULES = [
    (ReminderRule.Kind.REMINDER, 7, ReminderRule.Anchor.BEFORE_START, ReminderRule.Recipients.BOTH),
    (ReminderRule.Kind.REMINDER, 1, ReminderRule.Anchor.BEFORE_START, ReminderRule.Recipients.BOTH),
    (ReminderRule.Kind.EVALUATION, 1, ReminderRule.Anchor.AFTER_END, ReminderRule.Recipients.BOTH),
    (ReminderRule.Kind.MEETING, 3, ReminderRule.Anchor.BEFORE_START, ReminderRule.Recipients.BOTH),
    (ReminderRule.Kind.NETWORK, 2, ReminderRule.Anchor.BEFORE_START, ReminderRule.Recipients.BOTH),
    (
        ReminderRule.Kind.FIGURES,
        14,
        ReminderRule.Anchor.AFTER_END,
        ReminderRule.Recipients.ASSOCIATION,
    ),
]


def create_default_rules(municipality: Municipality) -> list[ReminderRule]:
    """Give a municipality the default rules (idempotent: existing timings are kept)."""
    rules = []
    for kind, days, anchor, recipients in DEFAULT_RULES:
        rule, _created = ReminderRule.objects.get_or_create(
            municipality=municipality,
            kind=kind,
            anchor=anchor,
            days=days,
            defaults={"recipients": recipients},
        )
        rules.append(rule)
    return rules


# --- Dates -------------------------------------------------------------------------------


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def instant(moment: datetime) -> str:
    """A moment as UTC ISO text for a guard: the same whether the value came from a form
    (local time) or from the database (UTC), so a comparison never sees a move that is not."""
    return moment.astimezone(UTC).isoformat()


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def anchor_window(rule: ReminderRule, today: date) -> tuple[datetime, datetime]:
    """The [from, to) range of the anchor (start or end) for which the rule is due today."""
    if rule.anchor == ReminderRule.Anchor.BEFORE_START:
        first, last = today + timedelta(days=rule.days - GRACE_DAYS), today + timedelta(rule.days)
    else:
        first, last = today - timedelta(days=rule.days + GRACE_DAYS), today - timedelta(rule.days)
    return day_start(first), day_start(last + timedelta(days=1))


def batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def send_batch(notifications: list[Notification]) -> int:
    """Send queued rows over one SMTP connection; the number sent."""
    sent, _failures = services.claim_and_send([n.pk for n in notifications])
    return sent


def active_rules(kinds=ReminderRule.BOOKING_KINDS):
    """The rules of ``kinds`` (the booking rules unless told) of active municipalities that
    are switched on, in a stable order."""
    rules = ReminderRule.objects.active().filter(municipality__is_active=True, kind__in=kinds)
    return rules.select_related("municipality").order_by("pk")
