"""Celery tasks for e-mail. Each takes ids, is safe to run twice and has time limits."""

import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import services
from .models import Notification


def backoff(retries: int) -> int:
    """Exponential backoff: base, 2×base, 4×base, ... capped at one hour."""
    base = getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 30)
    return min(base * 2**retries, 3600)


@shared_task(bind=True, acks_late=True, max_retries=8, soft_time_limit=60, time_limit=90)
def deliver_notification(self, notification_id: int) -> str:
    """Deliver one outbox row. Safe to run twice: only one run can claim the row."""
    notification = services.claim(notification_id)
    if notification is None:
        return "not claimable"
    sent, failures = services.send_claimed([notification])
    if failures:
        _pk, exc = failures[0]
        if services.is_transient(exc) and self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=backoff(self.request.retries))
        return "failed"
    return "sent" if sent else "skipped"


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def retry_queued(batch_size: int = 200, budget: float = 120) -> int:
    """Beat job (every 30 s): pick up rows that were never delivered (lost task, dead worker,
    failed send). Returns the number sent.

    A queued row older than a few minutes lost its task; a failed row whose last attempt is
    older than RETRY_FAILED_AFTER waits for another try; a row in SENDING whose claim lease
    ran out lost its worker. Batch after batch (each over one SMTP connection) until no row is
    due or ``budget`` seconds have passed, so that a killed worker's whole batch is sent
    again by one run: under two minutes after the worker died (CLAIM_LEASE, then at most one
    beat interval, then the sending).
    """
    deadline = time.monotonic() + budget
    sent = 0
    while time.monotonic() < deadline:
        now = timezone.now()
        due = (
            Q(state=Notification.State.QUEUED, created_at__lt=now - timedelta(minutes=5))
            | Q(state=Notification.State.FAILED, claimed_at__lt=now - services.RETRY_FAILED_AFTER)
            | Q(state=Notification.State.SENDING, claimed_at__lt=now - services.CLAIM_LEASE)
        )
        ids = list(
            Notification.objects.filter(due, attempts__lt=services.MAX_ATTEMPTS)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        claimed = [n for n in map(services.claim, ids) if n is not None]
        if not claimed:  # nothing due, or another run took these
            break
        sent += services.send_claimed(claimed)[0]
    return sent
