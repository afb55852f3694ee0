"""Small presentation helpers for catalog templates."""

from urllib.parse import urlencode

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

WEEKDAY_NAMES = {
    "1": _("Monday"),
    "2": _("Tuesday"),
    "3": _("Wednesday"),
    "4": _("Thursday"),
    "5": _("Friday"),
}


@register.filter
def weekday_names(digits: str) -> list[str]:
    """'135' -> ['Monday', 'Wednesday', 'Friday'] (translated)."""
    return [str(WEEKDAY_NAMES[d]) for d in sorted(set(digits or "")) if d in WEEKDAY_NAMES]


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
