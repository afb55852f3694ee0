"""Bookings as iCalendar (.ics) for download and for private feeds."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .states import BookingState

#: Open and done bookings. One awaiting the school leader's approval shows (tentative) in the
#: school's calendars only: an association's querysets hold what was sent to it.
SHOWN = (
    BookingState.AWAITING_APPROVAL,
    BookingState.REQUESTED,
    BookingState.ALTERNATIVE_PROPOSED,
    BookingState.CONFIRMED,
    BookingState.COMPLETED,
)


def new_calendar(product: str = "bookings", name: str = "Åben Skole", method: str = "") -> Calendar:
    """An empty calendar of the portal; other apps' calendars (a partnership's status meeting)
    are made with this and ``add_event`` too."""
    cal = Calendar()
    cal.add("prodid", f"-//Åben Skole-portalen//{product}//DA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    return cal


def add_event(cal: Calendar, *, uid: str, starts_at, ends_at, summary: str, **more) -> Event:
    """Add one event (``location``, ``description``, ``url``, ``status``, ``sequence``...)."""
    event = Event()
    event.add("uid", f"{uid}@aabenskole")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    for name, value in more.items():
        if value not in ("", None):
            event.add(name, value)
    cal.add_component(event)
    return event


def bookings_calendar(bookings) -> bytes:
    cal = new_calendar()
    now = timezone.now()
    for booking in bookings.filter(state__in=SHOWN):
        event = Event()
        event.add("uid", f"booking-{booking.pk}@aabenskole")
        event.add("dtstamp", now)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("summary", f"{booking.offer.title} – {booking.school.name}")
        status = (
            "CONFIRMED"
            if booking.state in (BookingState.CONFIRMED, BookingState.COMPLETED)
            else "TENTATIVE"
        )
        event.add("status", status)
        place = booking.where
        if place:
            event.add("location", place)
        event.add(
            "description",
            f"{booking.offer.association.name} · {booking.classes} · "
            f"{BookingState(booking.state).label}",
        )
        event.add("url", f"{settings.SITE_URL}/bookings/{booking.pk}/")
        cal.add_component(event)
        if booking.occasion_id:
            for n, session in enumerate(booking.occasion.sessions.all(), start=2):
                extra = Event()
                extra.add("uid", f"booking-{booking.pk}-{n}@aabenskole")
                extra.add("dtstamp", now)
                extra.add("dtstart", session.starts_at)
                extra.add("dtend", session.ends_at)
                extra.add("summary", f"{booking.offer.title} ({n}) – {booking.school.name}")
                extra.add("status", status)
                cal.add_component(extra)
    return cal.to_ical()
