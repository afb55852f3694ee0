"""What a change of a knowledge item makes stale: the page of the offer it is linked to
(``catalog``'s offer page shows the offer's good examples and is page-cached)."""

from associations.caching import offer_pages
from associations.models import Offer

from .models import Item


def item_changed(item: Item) -> list[str]:
    if item.offer_id is None:
        return []
    offer = Offer.objects.filter(pk=item.offer_id).only("slug").first()
    return offer_pages(offer) if offer is not None else []
