"""The offer being booked, looked up once per school and day."""

from __future__ import annotations

from django.utils import timezone

from associations.models import Offer
from portal import generations
from portal.cache import pickled_shape

# --- The offer being booked --------------------------------------------------------------

#: How long a looked-up offer stays in the cache; any change of an offer, association or
#: municipality makes it stale sooner (it is stored with the ``schools`` generation's number).
OFFER_CACHE_SECONDS = 600


def bookable_offer(slug: str, municipality_ids) -> Offer | None:
    """The published offer ``slug`` (with its association) if it is offered in one of
    ``municipality_ids``, else None.

    A school books the same offers again and again, and the lookup is a quarter of a booking
    request's work, so it is cached: checked against the ``schools`` generation, which every
    change of an offer, association or municipality bumps (``portal.apps.SCHOOL_PAGE_MODELS``),
    and keyed by today's date, since a certificate that runs out unpublishes the offer at
    midnight.
    """
    shape = pickled_shape("associations.Offer", "associations.Association")
    key = f"bookable-offer:{shape}:{timezone.localdate().isoformat()}:{slug}"
    numbers, found = generations.read_with((generations.SCHOOLS,), [key])
    if key in found:
        offer, offered_in = found[key]
    else:
        offer = Offer.objects.published().select_related("association").filter(slug=slug).first()
        if offer is None:
            return None  # not cached: any slug could be asked for
        offered_in = frozenset(offer.association.municipalities.values_list("pk", flat=True))
        generations.store(key, (offer, offered_in), numbers, OFFER_CACHE_SECONDS)
    return offer if offered_in & set(municipality_ids) else None
