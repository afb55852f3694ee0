"""``services.offer_cards`` (its queries compiled once per number of ids) gives a page's
offers in the order of the ids, with what ``catalog_offers`` gives the cards."""

import pytest

from associations.models import OfferPhoto
from catalog import services
from tests import factories as f

pytestmark = pytest.mark.django_db

SHOWN = ("pk", "title", "summary", "price_amount", "class_price", "next_starts_at", "next_free")


def shown(offer) -> tuple:
    photos = [(p.pk, p.image.name, p.alt_text) for p in offer.card_photos]
    return (*[getattr(offer, name) for name in SHOWN], offer.association.name, photos)


@pytest.mark.parametrize("count", [1, services.CARD_SLOTS, services.CARD_SLOTS + 1])
def test_the_ids_in_their_order_as_the_catalog_gives_them(municipality, association, count):
    offers = [f.OfferFactory(association=association, published=True) for _ in range(count)]
    f.OccasionFactory(offer=offers[0], capacity=5, reserved=2)
    OfferPhoto.objects.create(offer=offers[-1], image="offers/b.jpg", alt_text="B", position=2)
    OfferPhoto.objects.create(offer=offers[-1], image="offers/a.jpg", alt_text="A", position=1)
    ids = [o.pk for o in reversed(offers)] + [10**9]  # an id that is gone is left out
    cards = services.offer_cards(ids)
    assert [c.pk for c in cards] == ids[:-1]
    listed = {o.pk: o for o in services.catalog_offers(municipality)}
    assert [shown(c) for c in cards] == [shown(listed[pk]) for pk in ids[:-1]]
    assert cards[-1].next_free == 3 and [p.alt_text for p in cards[0].card_photos] == ["A", "B"]


def test_the_distance_from_an_origin(municipality, association):
    association.latitude, association.longitude = 56.03, 12.61
    association.save()
    offer = f.OfferFactory(association=association, published=True)
    origin = (56.0, 12.6)
    (card,) = services.offer_cards([offer.pk], origin)
    (listed,) = services.catalog_offers(municipality).annotate(
        distance=services.distance_km(origin)
    )
    assert card.distance == pytest.approx(listed.distance) and 3 < card.distance < 4
    assert services.offer_cards([]) == []


def test_the_association_is_loaded_as_select_related_loads_it(association, published_offer):
    """Its id and the association come with the offer: reading them costs no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    (card,) = services.offer_cards([published_offer.pk])
    page_offer = services.published_offer(published_offer.slug)
    with CaptureQueriesContext(connection) as ctx:
        for offer in (card, page_offer):
            assert offer.association_id == association.pk
            assert offer.association.name == association.name
    assert not ctx.captured_queries
