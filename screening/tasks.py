"""Re-screening beat jobs: remind before an approval runs out, and expire it. Each job is
idempotent (outbox keys, state re-checks). Child certificates: associations/tasks.py."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import digests, rescreening


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def remind_expiring_approvals(days: int = rescreening.WARN_DAYS) -> int:
    """E-mail associations whose approval runs out within ``days``."""
    return rescreening.remind_expiring(timezone.now() + timedelta(days=days))


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def expire_approvals() -> int:
    """Take items whose approval has run out off the portal (Transition.EXPIRE)."""
    return rescreening.expire_due(timezone.now())


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def send_submission_digests() -> int:
    """The daily digest for consultants who chose it (see screening.digests)."""
    return digests.send_submission_digests()
