"""The weekly overview e-mailed to every consultant: what waits for screening and what
happened to the municipality's bookings."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from bookings.models import Booking, BookingEvent, SubsidyPool
from bookings.states import BookingState
from municipalities.models import Consultant
from notifications.services import notify
from screening.digests import action_url, waiting_submissions


def booking_figures(municipality, since) -> dict:
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
        notification = notify(
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
                "action_url": action_url("screening:queue", "/screening/"),
                **booking_figures(municipality, since),
            },
        )
        queued += notification is not None
    return queued
