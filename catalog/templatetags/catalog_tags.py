"""Small presentation helpers for catalog templates."""

from urllib.parse import urlencode

from django import template
from django.utils.translation import pgettext_lazy

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
