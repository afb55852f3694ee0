"""The daily digest of submissions waiting for screening, for consultants who chose it
instead of one e-mail per submission."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from municipalities.models import Consultant
from notifications.services import absolute_url, notify

from .checks import screened_models
from .workflow import WAITING_STATES


def action_url(name: str, fallback: str = "/") -> str:
    """An absolute link to a named page (the fallback path if it is not installed)."""
    try:
        return absolute_url(reverse(name))
    except NoReverseMatch:
        return absolute_url(fallback)


def waiting_submissions(municipality) -> list:
    """Everything waiting for a consultant in this municipality (profiles, offers…), oldest
    first."""
    items = [
        item
        for model in screened_models()
        for item in model.objects.for_municipality(municipality).filter(state__in=WAITING_STATES)
    ]
    far_future = timezone.now() + timedelta(days=36500)
    return sorted(items, key=lambda item: item.submitted_at or far_future)


def send_submission_digests(today: date | None = None) -> int:
    """A daily digest for consultants who chose it instead of one e-mail per submission."""
    today = today or timezone.localdate()
    queued = 0
    consultants = Consultant.objects.active().filter(
        submission_emails=Consultant.DigestChoice.DAILY
    )
    for consultant in consultants.select_related("user", "municipality"):
        waiting = waiting_submissions(consultant.municipality)
        if not waiting:
            continue
        notification = notify(
            kind="screening.digest",
            key=f"screening.digest:consultant={consultant.pk}:on={today.isoformat()}",
            to_email=consultant.user.email,
            user=consultant.user,
            template="digest_submissions",
            context={
                "recipient_name": consultant.user.full_name,
                "municipality": consultant.municipality,
                "waiting": waiting,
                "action_url": action_url("screening:queue", "/screening/"),
            },
        )
        queued += notification is not None
    return queued
