"""What a change of a booking, date, waiting-list entry, feed or pool makes stale: the offer's
public pages (free places, dates; ``portal.pagecache``) and the cached "My school" lists
(``portal.fragments``). Connected in ``BookingsConfig.ready()``; code that writes these rows
with ``QuerySet.update()`` bumps the same names itself."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from associations.caching import catalogs, offer_pages
from municipalities.models import Municipality
from portal import fragments, generations, pagecache
from schools.caching import school_lists

from .models import Booking, CalendarFeed, Occasion, OccasionSession, SubsidyPool, WaitingListEntry


def occasion_pages(occasion: Occasion) -> list[str]:
    """The pages showing a date: its offer's, the catalogs (a card shows the offer's next
    date and its free places), and what every school sees."""
    try:
        offer = occasion.offer
        return [*offer_pages(offer), *catalogs(offer.association_id), generations.CATALOG]
    except ObjectDoesNotExist:  # deleted with its offer
        return [pagecache.EVERYTHING, generations.CATALOG]


def _booking_changed(booking: Booking) -> list[str]:
    try:
        pages = offer_pages(booking.offer)  # no query on the request path: the offer is loaded
    except ObjectDoesNotExist:
        pages = [pagecache.EVERYTHING]
    return [*pages, *school_lists(booking.school_id)]


def _session_changed(session: OccasionSession) -> list[str]:
    occasion = Occasion.objects.filter(pk=session.occasion_id).first()
    return occasion_pages(occasion) if occasion is not None else []


def connect() -> None:
    generations.on_change(Booking, _booking_changed)
    generations.on_change(Occasion, occasion_pages)
    generations.on_change(OccasionSession, _session_changed)
    generations.on_change(WaitingListEntry, lambda entry: school_lists(entry.school_id))
    generations.on_change(
        CalendarFeed, lambda feed: school_lists(feed.school_id) if feed.school_id else []
    )
    generations.on_change(
        SubsidyPool, lambda pool: [fragments.name(Municipality, pool.municipality_id)]
    )
