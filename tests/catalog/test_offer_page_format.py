"""The offer page and cards: one way to write prices, weekdays and dates per language, and the
booking button only for the people who can book."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


def _offer(association, **kwargs):
    data = {
        "association": association,
        "published": True,
        "on_request": False,
        "price_model": "per_class",
        "price_amount": Decimal("1500.00"),
        "weekdays": "12",
    }
    data.update(kwargs)
    return f.OfferFactory(**data)


def _page(client, url, lang="da"):
    client.cookies["portal_language"] = lang
    return client.get(url).content.decode()


def test_prices_have_thousands_separators_and_no_zero_decimals(client, association):
    offer = _offer(association)
    html = _page(client, offer.get_absolute_url())
    assert "1.500 kr." in html and "1.500,00" not in html and "1500" not in html
    assert "1.500 kr. pr. klasse" in _page(client, reverse("catalog:offer_list"))
    html = _page(client, offer.get_absolute_url(), "en")
    assert "1,500 DKK" in html and "1,500.00" not in html


def test_amounts_with_oere_keep_two_decimals(client, association):
    offer = _offer(association, price_amount=Decimal("1234.50"))
    assert "1.234,50 kr." in _page(client, offer.get_absolute_url())
    assert "1,234.50 DKK" in _page(client, offer.get_absolute_url(), "en")


def test_weekdays_lowercase_in_danish_capitalised_in_english(client, association):
    offer = _offer(association)
    assert "mandag · tirsdag" in _page(client, offer.get_absolute_url())
    assert "Monday · Tuesday" in _page(client, offer.get_absolute_url(), "en")


def test_occasion_dates_follow_the_language(client, association):
    offer = _offer(association)
    start = timezone.make_aware(datetime(timezone.localdate().year + 1, 1, 5, 10, 0))
    f.OccasionFactory(offer=offer, starts_at=start, ends_at=start + timedelta(hours=2))
    year = start.year
    weekday_en = start.strftime("%A")
    assert re.search(
        rf"\b[A-Z][a-zø]+ 5\. januar {year} 10:00", _page(client, offer.get_absolute_url())
    )
    html = _page(client, offer.get_absolute_url(), "en")
    assert f"{weekday_en}, 5 January {year} 10:00" in html
    assert "5. January" not in html


@pytest.mark.parametrize("who", ["association_member", "consultant"])
def test_no_booking_button_for_people_who_cannot_book(client, published_offer, who, request):
    client.force_login(request.getfixturevalue(who))
    html = _page(client, published_offer.get_absolute_url())
    assert published_offer.get_absolute_url() + "book/" not in html
    assert "Kun skolepersonale kan booke." in html
    html = _page(client, published_offer.get_absolute_url(), "en")
    assert "Only school staff can book." in html


@pytest.mark.parametrize("who", ["teacher", None])
def test_booking_button_for_school_staff_and_visitors(client, published_offer, who, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    html = _page(client, published_offer.get_absolute_url())
    assert published_offer.get_absolute_url() + "book/" in html
    assert "Kun skolepersonale kan booke." not in html
