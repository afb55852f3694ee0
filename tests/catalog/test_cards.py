"""Offer cards from the card cache (catalog.cards): the key holds everything a card shows,
so a change of any of it shows on the very next search, even one written with
``QuerySet.update()`` (no signal, no transaction commit needed)."""

import inspect
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from associations.models import Association, Offer, PriceModel
from bookings.models import Occasion
from catalog import cards
from tests import factories as f

pytestmark = pytest.mark.django_db


def _card_keys() -> list[str]:
    return [k for k in cache._cache if ":card:" in k]  # LocMemCache in the test settings


def test_card_functions_read_only_what_the_key_holds():
    read = {
        name
        for draw in cards.DRAWN
        for name in re.findall(r"\boffer\.(\w+)", inspect.getsource(draw))
    }
    assert {"title", "summary", "on_request", "next_starts_at", "next_free"} <= read
    assert read <= cards.SHOWN, f"the cards read {read - cards.SHOWN}: add to the key"


def test_second_search_takes_the_cards_from_the_cache(client, make_offer):
    make_offer(title="Kajak i havnen")
    first = client.get(reverse("catalog:offer_list")).content.decode()
    assert "Kajak i havnen" in first
    assert len(_card_keys()) == 1
    second = client.get(reverse("catalog:offer_list"), {"grade": "5"}).content.decode()
    assert "Kajak i havnen" in second
    assert len(_card_keys()) == 1  # another search, the same card


def _search(client, url="catalog:offer_list") -> str:
    return client.get(reverse(url)).content.decode()


@pytest.mark.parametrize("url", ["catalog:offer_list", "catalog:embed_list"])
def test_a_change_shows_on_the_next_search(client, make_offer, url):
    offer = make_offer(title="Kajak i havnen", on_request=False)
    occasion = f.OccasionFactory(offer=offer, capacity=10)
    html = _search(client, url)
    assert "Kajak i havnen" in html and "10" in html

    Offer.objects.filter(pk=offer.pk).update(title="Kano på søen", summary="Padl selv")
    html = _search(client, url)
    assert "Kano på søen" in html and "Padl selv" in html and "Kajak" not in html

    Association.objects.filter(pk=offer.association_id).update(name="Roklubben Nord")
    assert "Roklubben Nord" in _search(client, url)

    Occasion.objects.filter(pk=occasion.pk).update(reserved=10)  # the last place taken
    assert "Fuldt booket" in _search(client, url)

    Offer.objects.filter(pk=offer.pk).update(
        price_model=PriceModel.PER_CLASS, price_amount=Decimal("750")
    )
    assert "750" in _search(client, url)
    assert len(_card_keys()) == 5  # one card per state shown


def test_the_language_is_part_of_the_key(client, make_offer):
    make_offer(title="Kajak i havnen", grade_min=4, grade_max=6)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Grades 4.–6." in _search(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    assert "Klassetrin 4.–6." in _search(client)


def test_a_distance_is_shown_per_search(client, make_offer, association):
    Association.objects.filter(pk=association.pk).update(latitude=56.0, longitude=12.5)
    f.SchoolFactory(postal_code="3000", latitude=56.03, longitude=12.6)
    make_offer(title="Kajak i havnen")
    near = client.get(reverse("catalog:offer_list"), {"postal_code": "3000"}).content.decode()
    plain = _search(client)
    assert re.search(r"\d,\d km væk", near)
    assert not re.search(r"\d,\d km væk", plain)


def test_card_items_give_what_the_card_template_gives():
    """The search page lists anonymous visitors' cards with ``card_items`` instead of an
    include per card: the same HTML."""
    from types import SimpleNamespace

    from django.template import engines
    from django.utils.safestring import mark_safe

    from catalog.templatetags.catalog_tags import card_items

    offers = [SimpleNamespace(card_html=mark_safe(f"<p>Card {n}</p>")) for n in range(3)]  # noqa: S308
    included = engines["django"].from_string(
        '{% for offer in offers %}<li class="col">{% include "catalog/_offer_card.html" %}'
        "</li>{% endfor %}"
    )
    assert card_items(offers) == included.render({"offers": offers, "can_favourite": False})
    assert card_items([]) == ""
