"""Offer cards of the catalog's and the embed's searches (catalog.cards), drawn for every
search: a change shows on the very next one, even one written with ``QuerySet.update()``."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from associations.models import Association, Offer, PriceModel
from bookings.models import Occasion
from tests import factories as f

pytestmark = pytest.mark.django_db


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


def test_a_card_is_in_the_visitors_language(client, make_offer):
    """A card's texts are in the visitor's language (``cards._texts``: translated once
    per language)."""
    offer = make_offer(
        title="Kajak i havnen", grade_min=4, grade_max=6, domain="sport", on_request=False
    )
    f.OccasionFactory(offer=offer, capacity=1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _search(client)
    assert "Grades 4.–6." in english and ">Sport<" in english
    assert "Next date" in english and "1 free place<" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    danish = _search(client)
    assert "Klassetrin 4.–6." in danish and ">Idræt<" in danish
    assert "Næste dato" in danish and "1 ledig plads<" in danish
    assert "Grades" not in danish and "Sport<" not in danish


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
