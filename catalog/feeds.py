"""Feeds per municipality: newly approved offers (Atom) and upcoming fixed dates (iCalendar)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, vText

from associations.models import Offer
from bookings.models import Occasion
from municipalities.models import Municipality
from portal import pagecache

FEED_SIZE = 50
#: Feeds hold nothing personal, so caches may keep them for a while.
FEED_MAX_AGE = 15 * 60
#: Occasions this far ahead go into the calendar.
CALENDAR_DAYS = 366


class NewOffersFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, municipality):
        return get_object_or_404(Municipality, slug=municipality, is_active=True)

    def title(self, obj):
        return _("New offers in %(municipality)s") % {"municipality": obj.name}

    def subtitle(self, obj):
        return _("Offers from associations, newly approved for schools.")

    def link(self, obj):
        return "/offers/?municipality=" + obj.slug

    def items(self, obj):
        return (
            Offer.objects.published()
            .for_municipality(obj)
            .select_related("association")
            .order_by("-approved_at", "pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return item.association.name

    def item_pubdate(self, item):
        return item.approved_at

    def item_updateddate(self, item):
        return item.approved_at

    def item_categories(self, item):
        return [item.get_domain_display()]


def _calendar_names(_request, municipality: str) -> list[str]:
    """The municipality's catalog: a new, moved or cancelled date bumps it, as does an offer's
    change (``bookings.caching``, ``associations.caching``)."""
    return [pagecache.name(Municipality, municipality)]


@require_safe
@cache_control(public=True, max_age=FEED_MAX_AGE)
@pagecache.cache_anonymous_page(_calendar_names)
def occasions_ical(request: HttpRequest, municipality: str) -> HttpResponse:
    """The municipality's upcoming fixed dates. Calendar programs ask for it again every
    few hours for every subscriber, so it is served from the page cache (a year of dates
    costs ≈ 90 ms to draw at national scale)."""
    municipality_obj = get_object_or_404(Municipality, slug=municipality, is_active=True)
    published = Offer.objects.published().for_municipality(municipality_obj)
    occasions = (
        Occasion.objects.upcoming()
        .filter(
            offer__in=published.values("pk"),
            starts_at__lte=timezone.now() + timedelta(days=CALENDAR_DAYS),
        )
        .select_related("offer", "offer__association")
        .order_by("starts_at")
    )
    return HttpResponse(
        build_calendar(municipality_obj, occasions, request),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{municipality_obj.slug}.ics"'},
    )


def build_calendar(municipality: Municipality, occasions, request=None) -> bytes:
    """An RFC 5545 calendar of the occasions (UTC times, stable UIDs)."""
    site = settings.SITE_URL.rstrip("/")
    host = site.split("://", 1)[-1]
    cal = Calendar()
    cal.add("prodid", "-//Åben Skole-portalen//catalog//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add(
        "x-wr-calname",
        _("Offers with dates in %(municipality)s") % {"municipality": municipality.name},
    )
    stamp = timezone.now()
    for occasion in occasions:
        offer = occasion.offer
        event = Event()
        event.add("uid", f"occasion-{occasion.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", occasion.starts_at)
        event.add("dtend", occasion.ends_at)
        event.add("summary", f"{offer.title} ({offer.association.name})")
        event.add("description", offer.summary)
        event.add("url", site + offer.get_absolute_url())
        if occasion.place:
            event["location"] = vText(occasion.place)
        cal.add_component(event)
    return cal.to_ical()
