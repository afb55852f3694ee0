"""Private calendar addresses of a school or an association."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..models import CalendarFeed, new_token


def feed_address(feed) -> str:
    """The feed's full address on the site ("" without a feed), to paste into a calendar."""
    return settings.SITE_URL + reverse("bookings:feed", args=[feed.token]) if feed else ""


def regenerate_feed(*, school=None, association=None):
    """A new secret address; the old one stops working at once."""
    owner = {"school": school} if school else {"association": association}
    feed, created = CalendarFeed.objects.get_or_create(**owner)
    if not created:
        feed.token = new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed
