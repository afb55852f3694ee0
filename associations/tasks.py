"""Beat jobs of the associations: instructors' child certificates."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from screening.rescreening import WARN_DAYS

from . import services


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def check_child_certificates(days: int = WARN_DAYS) -> int:
    """Send offers with too old child certificates back for screening; warn before."""
    today = timezone.localdate()
    warned = services.warn_certificates(today, today + timedelta(days=days))
    return warned + services.expire_certificates(today)
