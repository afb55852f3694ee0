"""Small presentation helpers for catalog templates."""

from html import escape
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy

from catalog import cards

register = template.Library()

#: Weekdays as written inside a sentence ("Week 3 to week 20, monday · tuesday"): Danish writes
#: them in lowercase, English capitalised. The context keeps them apart from the capitalised
#: labels of the weekday filter.
WEEKDAY_NAMES = {
    "1": pgettext_lazy("weekday in a sentence", "Monday"),
    "2": pgettext_lazy("weekday in a sentence", "Tuesday"),
    "3": pgettext_lazy("weekday in a sentence", "Wednesday"),
    "4": pgettext_lazy("weekday in a sentence", "Thursday"),
    "5": pgettext_lazy("weekday in a sentence", "Friday"),
}


@register.filter
def weekday_names(digits: str) -> list[str]:
    """'135' -> ['Monday', 'Wednesday', 'Friday'] (da: ['mandag', 'onsdag', 'fredag'])."""
    return [str(WEEKDAY_NAMES[d]) for d in sorted(set(digits or "")) if d in WEEKDAY_NAMES]


@register.simple_tag
def association_offer(offer, link_target: str = "") -> str:
    """One offer in the list on an association's page (catalog/_association_body.html):
    its title, linked to its page if it has one, its summary and its facts. A tag rather
    than template code, each value escaped once with the standard library: with a URL, four
    labels and a dozen variables per offer, the list was half of the page's rendering.
    Reads the fields of ``catalog.views.ASSOCIATION_OFFER_SHOWN``."""
    title = escape(offer.title)
    if offer.slug:
        url = escape(reverse("catalog:offer_detail", args=[offer.live.slug]))
        target = f' target="{escape(link_target)}" rel="noopener"' if link_target else ""
        title = f'<a href="{url}" class="fw-semibold"{target}>{title}</a>'
    else:
        title = f'<span class="fw-semibold">{title}</span>'
    facts = (
        f"{offer.get_domain_display()} · {gettext('Grades')} {offer.grade_range_display} · "
        f"{offer.get_format_display()} · {offer.get_price_model_display()}"
    )
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        f"{title}\n      <br><span>{escape(offer.summary)}</span>\n      "
        f'<br><small class="text-body-secondary">{escape(facts)}</small>'
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current GET query with some keys replaced (None or "" removes them)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(list(params.lists()), doseq=True) if params else "?"


@register.simple_tag
def choice_inputs(
    bound_field, counts: dict | None = None, input_type: str = "checkbox", choices=None
) -> str:
    """A filter's options as Bootstrap check inputs, each with how many offers it leaves
    (``counts`` maps option to number): the same markup and ids (``id_domain_0``, ...) as
    iterating the bound field in the template. The catalog draws about forty on every
    search, so no widget is built per option and each value is escaped once with the
    standard library (Django's escaping costs ten calls a value). ``choices`` replaces the
    field's own (a model field's run a query each time)."""
    # As Django's ChoiceWidget.format_value: nothing chosen ticks a single choice's "" option.
    chosen = set(bound_field.field.widget.format_value(bound_field.value()))
    name, auto_id, kind = (
        escape(bound_field.html_name),
        escape(bound_field.auto_id),
        escape(input_type),
    )
    rows = []
    for i, (option, label) in enumerate(choices or bound_field.field.choices):
        option = str(getattr(option, "value", option))  # ModelChoiceIteratorValue
        n = counts.get(option) if counts else None
        number = "" if n is None else f' <span class="text-body-secondary">({int(n)})</span>'
        rows.append(
            f'<div class="form-check"><input class="form-check-input" type="{kind}" '
            f'name="{name}" value="{escape(option)}" id="{auto_id}_{i}"'
            f'{" checked" if option in chosen else ""}><label class="form-check-label" '
            f'for="{auto_id}_{i}">{escape(str(label))}{number}</label></div>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 # nosec B308 B703 - every value escaped


@register.simple_tag
def select_options(bound_field, *skip: str) -> str:
    """A ``<select>``'s options for a filter, but those in ``skip``: the same markup as
    iterating the bound field in the template, without a widget object per option."""
    chosen = set(bound_field.field.widget.format_value(bound_field.value()))
    rows = []
    for option, label in bound_field.field.choices:
        option = str(getattr(option, "value", option))  # ModelChoiceIteratorValue
        if option not in skip:
            selected = " selected" if option in chosen else ""
            rows.append(f'<option value="{escape(option)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(rows))  # noqa: S308 # nosec B308 B703 - every value escaped


@register.simple_tag
def municipality_options(municipalities, chosen) -> str:
    """The municipality picker's options (about a hundred on a national installation),
    each value escaped once with the standard library."""
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        "".join(
            f'<option value="{escape(m.slug)}"{" selected" if m == chosen else ""}>'
            f"{escape(m.name)}</option>"
            for m in municipalities
        )
    )


@register.simple_tag(takes_context=True)
def offer_card_body(context, offer) -> str:
    """What a card shows of ``offer`` when the view did not give it its card
    (``catalog.cards.render``): drawn by ``catalog.cards.catalog_card`` with the context's
    ``link_url``, ``link_target`` and ``has_origin``."""
    return cards.catalog_card(
        offer,
        link_url=context.get("link_url") or "",
        link_target=context.get("link_target") or "",
        has_origin=bool(context.get("has_origin")),
    )
