"""Celery tasks of the partnerships. Each is safe to run twice and has time limits."""

from datetime import date

from celery import shared_task

from . import figures, meeting_services
from .network import services as network_services


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def scan_meeting_reminders(today: str | None = None) -> int:
    """Beat job: the reminders of status meetings and network meetings due today by the
    municipalities' reminder rules. Safe to run twice: the keys are unique."""
    day = date.fromisoformat(today) if today else None
    return meeting_services.scan_meeting_reminders(day) + network_services.scan_reminders(day)


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def remind_missing_figures(today: str | None = None) -> int:
    """Beat job (daily): the municipalities' figures reminders due today (or on ``today``, an
    ISO date). The outbox key names rule, partnership and year: sent once a year."""
    return figures.scan_figures_reminders(date.fromisoformat(today) if today else None)
