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

Each card is drawn by a small Python function (``catalog_card``, ``embed_card``) rather than a
template: Django's template engine cost ≈ 370 Python calls per card (variable lookups,
translations, filters), these ≈ 60, which counts when a search's cards are not cached yet.
Every value is escaped once with the standard library (Django's escaping costs ten calls).

``SHOWN`` lists what the card functions read of ``offer``; tests/catalog/test_cards.py fails
when one reads anything else, so a new field cannot be left out of the key.
"""

from __future__ import annotations

import hashlib
from html import escape

from django.core.cache import cache
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from associations.models import PriceModel
from portal import addresses
from portal.formatting import money
from portal.pagecache import release
from portal.templatetags.portal_format import local_date

TIMEOUT = 3600

#: What the card functions (``DRAWN``) read of ``offer`` (``offer.<name>``).
SHOWN = frozenset(
    {
        "pk", "slug", "card_photos", "title", "association", "summary",
        "on_request", "next_starts_at", "next_free", "get_domain_display",
        "grade_range_display", "get_format_display", "get_price_model_display",
        "price_model", "class_price", "price_amount", "distance",
    }
)  # fmt: skip


def shown(offer) -> tuple:
    """The values of ``SHOWN`` (published offers: their pages' addresses are made of the slug; the
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


def render(offers, draw, **extra) -> None:
    """Give each of ``offers`` its card (``offer.card_html``, ``draw(offer, **extra)``;
    ``extra`` must be plain values): one ``get_many`` for all of them, the missing ones
    drawn and stored with one ``set_many``."""
    common = (release(), draw.__name__, get_language(), sorted(extra.items()))
    keys = {}
    for offer in offers:
        raw = repr((common, shown(offer))).encode()
        keys[offer] = "card:" + hashlib.blake2b(raw, digest_size=20).hexdigest()
    found = cache.get_many(list(keys.values())) if keys else {}
    new = {}
    for offer, key in keys.items():
        html = found.get(key)
        if html is None:
            html = new[key] = draw(offer, **extra)
        offer.card_html = mark_safe(html)  # noqa: S308 # nosec B308 B703 - drawn here, escaped
    if new:
        cache.set_many(new, TIMEOUT)


def _badges(offer) -> tuple[str, str, str, str]:
    """The domain, "Grades 4.–6.", the format and the price model, escaped."""
    grades = gettext("Grades")  # outside the f-string: xgettext reads no call inside one
    return (
        escape(str(offer.get_domain_display())),
        f"{escape(grades)} {escape(offer.grade_range_display)}",
        escape(str(offer.get_format_display())),
        escape(str(offer.get_price_model_display())),
    )


def catalog_card(offer, link_url="", link_target="", has_origin=False) -> SafeString:
    """What the catalog's card shows of ``offer`` (``catalog/_offer_card.html`` puts it in the
    card and closes the card body after the per-visitor favourite button): the first photo,
    the title as a link (``link_url``, else the offer's page; ``link_target`` opens it
    elsewhere), the association, the summary, the next date, badges, and the distance when
    the offers carry one (``has_origin``)."""
    photo = offer.card_photos[0] if offer.card_photos else None
    image = (
        f'<img src="{escape(photo.image.url)}" alt="{escape(photo.alt_text)}" '
        'class="card-img-top" loading="lazy">'
        if photo
        else ""
    )
    target = f' target="{escape(link_target)}" rel="noopener"' if link_target else ""
    if link_url:
        href = escape(link_url)
    else:  # the offer's page (published: its own slug), without a reverse() per card
        head, tail = addresses.around("catalog:offer_detail")
        href = f"{head}{escape(offer.slug)}{tail}"
    when = "" if offer.on_request else _next_date(offer, "small mb-2 offer-next-date")
    domain, grades, format_, price = _badges(offer)
    if offer.price_model != PriceModel.FREE and getattr(offer, "class_price", None) is not None:
        amount = {"amount": escape(money(offer.class_price))}
        price += " · " + gettext("%(amount)s DKK per class") % amount
    badge = '<li class="list-inline-item badge text-bg-light">'
    distance = ""
    if has_origin and getattr(offer, "distance", None) is not None:
        away = gettext("%(km)s km away") % {"km": escape(floatformat(offer.distance, "1"))}
        distance = f"{badge}{away}</li>"
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        f"\n  {image}\n"
        '  <div class="card-body d-flex flex-column">\n'
        f'    <h3 class="h5 card-title"><a href="{href}"{target}>{escape(offer.title)}</a></h3>\n'
        '    <p class="card-subtitle mb-2 text-body-secondary">'
        f"{escape(offer.association.name)}</p>\n"
        f'    <p class="card-text">{escape(offer.summary)}</p>\n'
        f"    {when}\n"
        '    <ul class="list-inline small mt-auto mb-0">\n'
        f"      {badge}{domain}</li>\n      {badge}{grades}</li>\n"
        f"      {badge}{format_}</li>\n      {badge}{price}</li>\n"
        f"      {distance}\n    </ul>\n"
    )


def embed_card(offer, embed_query="") -> SafeString:
    """What the embedded catalog's card shows of ``offer``: the title as a link to the
    embedded offer page (keeping ``embed_query``), the association, the summary, the next
    date and one line of domain, grades, format and price."""
    head, tail = addresses.around("catalog:embed_detail")
    href = f"{head}{escape(offer.slug)}{tail}"
    if embed_query:
        href += "?" + escape(embed_query)
    when = "" if offer.on_request else _next_date(offer, "meta")
    domain, grades, format_, price = _badges(offer)
    if offer.price_model != PriceModel.FREE and offer.price_amount is not None:
        amount = {"amount": escape(money(offer.price_amount))}
        if offer.price_model == PriceModel.HOURLY:
            price += ": " + gettext("%(amount)s DKK per hour") % amount
        else:
            price += ": " + gettext("%(amount)s DKK") % amount
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        f'\n  <h2><a href="{href}">{escape(offer.title)}</a></h2>\n'
        f'  <p class="meta">{escape(offer.association.name)}</p>\n'
        f"  <p>{escape(offer.summary)}</p>\n"
        f"  {when}\n"
        f'  <p class="meta">{domain} · {grades} · {format_} · {price}</p>\n'
    )


def _next_date(offer, css_class: str) -> str:
    """The next date and its free places in a paragraph: "Next date: <time>…</time> · 3 free
    places" (``offer`` from ``services.with_next_date``)."""
    if not offer.next_starts_at:
        none = gettext("No upcoming dates.")
        return f'<p class="{css_class}">{escape(none)}</p>'
    when = timezone.localtime(offer.next_starts_at)
    free = offer.next_free
    if free > 0:
        places = ngettext("%(free)s free place", "%(free)s free places", free) % {"free": free}
    else:
        places = gettext("Fully booked")
    label = gettext("Next date")
    return (
        f'<p class="{css_class}">{escape(label)}: '
        f'<time datetime="{escape(when.isoformat())}">'
        f"{escape(local_date(when, 'WEEKDAY_DATETIME_FORMAT'))}</time> · {escape(places)}</p>"
    )


#: The card functions, for the test that checks they read only ``SHOWN``.
DRAWN = (catalog_card, embed_card, _badges, _next_date)
