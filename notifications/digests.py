"""Digests for consultants: a daily one of waiting submissions, a weekly overview."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from municipalities.models import Consultant

from . import services


def _url(name: str, fallback: str = "/") -> str:
    try:
        return services.absolute_url(reverse(name))
    except NoReverseMatch:
        return services.absolute_url(fallback)


def waiting_submissions(municipality) -> list:
    """Associations and offers waiting for a consultant in this municipality, oldest first."""
    from associations.models import Association, Offer
    from screening.workflow import WAITING_STATES

    items = list(
        Association.objects.for_municipality(municipality).filter(state__in=WAITING_STATES)
    ) + list(Offer.objects.for_municipality(municipality).filter(state__in=WAITING_STATES))
    far_future = timezone.now() + timedelta(days=36500)
    return sorted(items, key=lambda item: item.submitted_at or far_future)


def booking_figures(municipality, since) -> dict:
    from bookings.models import Booking, BookingEvent, SubsidyPool
    from bookings.states import BookingState

    bookings = Booking.objects.for_municipality(municipality)
    cancelled_ids = (
        BookingEvent.objects.filter(
            booking__in=bookings, to_state=BookingState.CANCELLED, created_at__gte=since
        )
        .values_list("booking_id", flat=True)
        .distinct()
    )
    pools = SubsidyPool.objects.for_municipality(municipality).order_by("-school_year")[:1]
    pool = pools[0] if pools else None
    return {
        "new_bookings": bookings.filter(created_at__gte=since).count(),
        "cancelled_bookings": len(set(cancelled_ids)),
        "confirmed_upcoming": bookings.upcoming().count(),
        "pool": pool,
        "pool_used": (pool.reserved + pool.spent) if pool else None,
    }


def send_weekly_digests(today: date | None = None) -> int:
    """One overview a week to each active consultant. Returns the number of e-mails queued."""
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    since = timezone.now() - timedelta(days=7)
    queued = 0
    for consultant in Consultant.objects.active().select_related("user", "municipality"):
        municipality = consultant.municipality
        notification = services.notify(
            kind="consultant.weekly_digest",
            key=f"consultant.weekly_digest:consultant={consultant.pk}:week={year}-{week:02d}",
            to_email=consultant.user.email,
            user=consultant.user,
            template="digest_consultant_weekly",
            context={
                "recipient_name": consultant.user.full_name,
                "municipality": municipality,
                "waiting": waiting_submissions(municipality),
                "week": week,
                "action_url": _url("screening:queue", "/screening/"),
                **booking_figures(municipality, since),
            },
        )
        queued += notification is not None
    return queued


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
        notification = services.notify(
            kind="screening.digest",
            key=f"screening.digest:consultant={consultant.pk}:on={today.isoformat()}",
            to_email=consultant.user.email,
            user=consultant.user,
            template="digest_submissions",
            context={
                "recipient_name": consultant.user.full_name,
                "municipality": consultant.municipality,
                "waiting": waiting,
                "action_url": _url("screening:queue", "/screening/"),
            },
        )
        queued += notification is not None
    return queued
