"""Offer cards of the catalog's and the embed's searches, drawn in Python.

A search page shows 24 cards (the embed 12). Each card is drawn by a small Python function
(``catalog_card``, ``embed_card``) rather than a template: Django's template engine cost
≈ 370 Python calls per card (variable lookups, translations, filters), these ≈ 70. Every
value is escaped once with the standard library (Django's escaping costs ten calls), and the
fixed texts and the choices' labels are translated once per language (``_texts``).

The cards are not cached: looking a card up and storing it in Redis cost ≈ 80 Python calls,
more than drawing it. A cache paid off only when more than half of a page's cards were
found in it; the benchmark's searches over the country's offers found 5–20 % (see
docs/PERFORMANCE.md, 58.).
"""

from __future__ import annotations

import functools
from html import escape

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from associations.models import Domain, OfferFormat, PriceModel
from portal import addresses
from portal.formatting import money
from portal.templatetags.portal_format import local_date


def render(offers, draw, **extra) -> None:
    """Give each of ``offers`` its card (``offer.card_html``): ``draw(offer, **extra)``."""
    for offer in offers:
        offer.card_html = draw(offer, **extra)


@functools.cache
def _texts(language: str) -> dict:
    """The cards' fixed texts and the labels of the offers' domains, formats and price
    models, escaped, in ``language`` (the active one; the argument is the cache's key):
    translated once per process, not for every card (≈ 10 Python calls a translation)."""
    return {
        "Grades": escape(gettext("Grades")),
        "Next date": escape(gettext("Next date")),
        "No upcoming dates.": escape(gettext("No upcoming dates.")),
        "Fully booked": escape(gettext("Fully booked")),
        # Formats, filled with escaped values.
        "per class": gettext("%(amount)s DKK per class"),
        "per pupil": gettext("%(amount)s DKK per pupil"),
        "km away": gettext("%(km)s km away"),
        "per hour": gettext("%(amount)s DKK per hour"),
        "DKK": gettext("%(amount)s DKK"),
        "domain": {value: escape(str(label)) for value, label in Domain.choices},
        "format": {value: escape(str(label)) for value, label in OfferFormat.choices},
        "price_model": {value: escape(str(label)) for value, label in PriceModel.choices},
    }


@functools.lru_cache(maxsize=512)
def _places_text(language: str, free: int) -> str:
    """The text of ``free`` places ("3 free places") in ``language`` (the active one),
    escaped."""
    return escape(ngettext("%(free)s free place", "%(free)s free places", free) % {"free": free})


def _badges(offer, texts: dict) -> tuple[str, str, str, str]:
    """The domain, "Grades 4.–6.", the format and the price model, escaped (a value without
    a label as it is, as ``get_FOO_display()`` shows it)."""
    return (
        texts["domain"].get(offer.domain) or escape(str(offer.domain)),
        f"{texts['Grades']} {escape(offer.grade_range_display)}",
        texts["format"].get(offer.format) or escape(str(offer.format)),
        texts["price_model"].get(offer.price_model) or escape(str(offer.price_model)),
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
    texts = _texts(get_language())
    when = "" if offer.on_request else _next_date(offer, "small mb-2 offer-next-date", texts)
    domain, grades, format_, price = _badges(offer, texts)
    if offer.priced_per_pupil and offer.price_amount is not None:
        price += " · " + texts["per pupil"] % {"amount": escape(money(offer.price_amount))}
    elif offer.price_model != PriceModel.FREE and getattr(offer, "class_price", None) is not None:
        amount = {"amount": escape(money(offer.class_price))}
        price += " · " + texts["per class"] % amount
    badge = '<li class="list-inline-item badge text-bg-light">'
    distance = ""
    if has_origin and getattr(offer, "distance", None) is not None:
        away = texts["km away"] % {"km": escape(floatformat(offer.distance, "1"))}
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
    texts = _texts(get_language())
    when = "" if offer.on_request else _next_date(offer, "meta", texts)
    domain, grades, format_, price = _badges(offer, texts)
    if offer.price_model != PriceModel.FREE and offer.price_amount is not None:
        amount = {"amount": escape(money(offer.price_amount))}
        if offer.price_model == PriceModel.HOURLY:
            price += ": " + texts["per hour"] % amount
        elif offer.priced_per_pupil:
            price += ": " + texts["per pupil"] % amount
        else:
            price += ": " + texts["DKK"] % amount
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        f'\n  <h2><a href="{href}">{escape(offer.title)}</a></h2>\n'
        f'  <p class="meta">{escape(offer.association.name)}</p>\n'
        f"  <p>{escape(offer.summary)}</p>\n"
        f"  {when}\n"
        f'  <p class="meta">{domain} · {grades} · {format_} · {price}</p>\n'
    )


def _next_date(offer, css_class: str, texts: dict) -> str:
    """The next date and its free places in a paragraph: "Next date: <time>…</time> · 3 free
    places" (``offer`` from ``services.with_next_date``)."""
    if not offer.next_starts_at:
        return f'<p class="{css_class}">{texts["No upcoming dates."]}</p>'
    when = timezone.localtime(offer.next_starts_at)
    free = offer.next_free
    places = _places_text(get_language(), free) if free > 0 else texts["Fully booked"]
    return (
        f'<p class="{css_class}">{texts["Next date"]}: '
        f'<time datetime="{escape(when.isoformat())}">'
        f"{escape(local_date(when, 'WEEKDAY_DATETIME_FORMAT'))}</time> · {places}</p>"
    )
