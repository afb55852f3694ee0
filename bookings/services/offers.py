"""The offer being booked, looked up once per slug and day."""

from __future__ import annotations

from django.utils import timezone

from associations.models import Offer
from portal import generations
from portal.pagecache import release

# --- The offer being booked --------------------------------------------------------------

#: How long a looked-up offer stays in the cache; any change of an offer, association,
#: date or municipality makes it stale sooner (``generations.CATALOG``).
OFFER_CACHE_SECONDS = 600


def bookable_offer(slug: str, municipality_ids) -> Offer | None:
    """The published offer ``slug`` (with its association) if it is offered in one of
    ``municipality_ids``, else None.

    A school books the same offers again and again, and the lookup (four joins and a
    subquery) is a large part of a booking request's work, so it is cached: until a change
    of an offer, association, date or municipality (``generations.CATALOG``), and keyed by
    the release (the pickled offer matches the code's model) and today's date, since a
    certificate that runs out unpublishes the offer at midnight.
    """
    if len(slug) > Offer._meta.get_field("slug").max_length:
        return None  # no such offer; and a longer cache key than caches allow
    today = timezone.localdate().isoformat()

    def lookup():
        offer = Offer.objects.published().select_related("association").filter(slug=slug).first()
        if offer is None:
            return None  # not cached: any slug could be asked for
        return offer, frozenset(offer.association.municipalities.values_list("pk", flat=True))

    key = f"bookable-offer:{release()}:{today}:{slug}"
    found = generations.cached(key, (generations.CATALOG,), lookup, OFFER_CACHE_SECONDS)
    if found is None:
        return None
    offer, offered_in = found
    return offer if offered_in & set(municipality_ids) else None
