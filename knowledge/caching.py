"""What a change of a knowledge item makes stale: the page of the offer it is linked to
(``catalog``'s offer page shows the offer's good examples and is page-cached), and the list
of offers that have good examples at all (``services.offers_with_examples``)."""

from associations.caching import offer_pages
from associations.models import Offer

from .models import Item

#: Bumped by every change of an item: the offers with published good examples, kept in each
#: process (``services.offers_with_examples``).
EXAMPLES = "knowledge:examples"


def item_changed(item: Item) -> list[str]:
    if item.offer_id is None:
        return [EXAMPLES]
    offer = Offer.objects.filter(pk=item.offer_id).only("slug").first()
    return [EXAMPLES, *offer_pages(offer)] if offer is not None else [EXAMPLES]
