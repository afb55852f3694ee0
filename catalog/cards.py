"""Offer cards rendered once and kept in the cache under what they show.

A search page shows 24 cards (the embed 12), and Django's template engine resolving each
card's variables, tags and translations was the biggest part of an uncached search. A card's
HTML is a function of the values it shows, the language and the release, so its key is made
of exactly those (``shown``): a change of any shown value (a title, a photo, the next date's
free places, a new next date once the last one has passed) is another key, and the next
search renders and stores the new card. Nothing is ever invalidated; an entry expires
``TIMEOUT`` seconds after it was stored (the old values' entries are not asked for again). Entries are shared by every search, page and
municipality that shows the offer, which is why this pays off where the page cache cannot:
schools all search for something else.

``SHOWN`` lists what the card templates read of ``offer``; tests/catalog/test_cards.py fails
when a card template reads anything else, so a new field cannot be left out of the key.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.template import Context, Engine
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.pagecache import release

TIMEOUT = 3600

#: The card templates, and what they read of ``offer`` (``{{ offer.<name> }}``).
TEMPLATES = ("catalog/_offer_card_body.html", "catalog/embed/_card.html")
SHOWN = frozenset(
    {
        "pk", "slug", "get_absolute_url", "card_photos", "title", "association", "summary",
        "on_request", "next_starts_at", "next_free", "get_domain_display",
        "grade_range_display", "get_format_display", "get_price_model_display",
        "price_model", "class_price", "price_amount", "distance",
    }
)  # fmt: skip


def shown(offer) -> tuple:
    """The values of ``SHOWN`` (published offers: the absolute URL is made of the slug; the
    first photo only; the association's name only)."""
    return (
        offer.pk,
        offer.slug,
        offer.title,
        offer.association.name,
        offer.summary,
        offer.on_request,
        offer.next_starts_at,
        offer.next_free,
        offer.domain,
        offer.grade_min,
        offer.grade_max,
        offer.format,
        offer.price_model,
        getattr(offer, "class_price", None),
        offer.price_amount,
        getattr(offer, "distance", None),
        [(photo.image.url, photo.alt_text) for photo in offer.card_photos[:1]],
    )


def render(offers, template: str, **extra) -> None:
    """Give each of ``offers`` its card (``offer.card_html``, rendered from ``template`` with
    ``offer`` and ``extra``, which must be plain values): one ``get_many`` for all of them,
    the missing ones rendered and stored with one ``set_many``."""
    common = (release(), template, get_language(), sorted(extra.items()))
    keys = {}
    for offer in offers:
        raw = repr((common, shown(offer))).encode()
        keys[offer] = "card:" + hashlib.blake2b(raw, digest_size=20).hexdigest()
    found = cache.get_many(list(keys.values())) if keys else {}
    new = {}
    card = context = None
    for offer, key in keys.items():
        html = found.get(key)
        if html is None:
            if card is None:  # one template and one context for all the missing cards
                card = Engine.get_default().get_template(template)
                context = Context({"offer": None, **extra})
            with context.push(offer=offer):
                html = new[key] = card.render(context)
        offer.card_html = mark_safe(html)  # noqa: S308 # nosec B308 B703 - our template's output
    if new:
        cache.set_many(new, TIMEOUT)
