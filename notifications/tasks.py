import smtplib
import socket

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Notification

RETRYABLE = (smtplib.SMTPException, socket.error, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def deliver_notification(self, notification_id: int) -> str:
    """Deliver one outbox row. Safe to run twice: only one run can claim the row."""
    notification = services.claim(notification_id)
    if notification is None:
        return "not claimable"
    _sent, failures = services.send_claimed([notification])
    if failures:
        _pk, exc = failures[0]
        if isinstance(exc, RETRYABLE) and self.request.retries < self.max_retries:
            # Exponential backoff: 30 s, 60 s, 120 s, ... capped at one hour.
            raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600))
        return "failed"
    return "sent"


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def retry_queued(batch_size: int = 200) -> int:
    """Beat job: pick up rows that were never delivered (lost task, dead worker, failed send)."""
    cutoff = timezone.now() - services.STALE_CLAIM
    ids = list(
        Notification.objects.filter(
            state__in=[Notification.State.QUEUED, Notification.State.FAILED],
            created_at__lt=timezone.now() - services.STALE_CLAIM,
            attempts__lt=10,
        ).values_list("pk", flat=True)[:batch_size]
    ) + list(
        Notification.objects.filter(
            state=Notification.State.SENDING, claimed_at__lt=cutoff
        ).values_list("pk", flat=True)[:batch_size]
    )
    claimed = [n for n in (services.claim(pk) for pk in ids) if n is not None]
    sent, _failures = services.send_claimed(claimed)
    return sent
