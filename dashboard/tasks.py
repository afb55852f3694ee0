"""Beat jobs of the consultant's numbers."""

from celery import shared_task

from . import digests


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def send_weekly_digests() -> int:
    """One overview a week to each active consultant (see dashboard.digests)."""
    return digests.send_weekly_digests()
