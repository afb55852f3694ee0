"""Private calendar addresses of a school or an association."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from ..models import Booking, CalendarFeed, OccasionSession, new_token

#: How far back a subscribed calendar reaches: calendar programs fetch the whole address every
#: few hours, and years of past bookings would make it ever larger. A download
#: (``bookings.ics``) still holds them all.
FEED_HISTORY = timedelta(days=365)


def feed_address(feed) -> str:
    """The feed's full address on the site ("" without a feed), to paste into a calendar."""
    return settings.SITE_URL + reverse("bookings:feed", args=[feed.token]) if feed else ""


def feed_bookings(feed):
    """The bookings of a private calendar address: its owner's, from a year back onwards."""
    if feed.school_id:
        bookings = Booking.objects.for_school(feed.school)
    else:
        bookings = Booking.objects.for_association(feed.association)
    since = timezone.now() - FEED_HISTORY
    # A booking's own times are its first session's; a course's later sessions keep it in.
    later = OccasionSession.objects.filter(occasion=OuterRef("occasion"), ends_at__gte=since)
    return (
        bookings.filter(Q(ends_at__gte=since) | Exists(later))
        .select_related("offer__association", "school", "occasion")
        .prefetch_related("occasion__sessions")
    )


def regenerate_feed(*, school=None, association=None):
    """A new secret address; the old one stops working at once."""
    owner = {"school": school} if school else {"association": association}
    feed, created = CalendarFeed.objects.get_or_create(**owner)
    if not created:
        feed.token = new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed
