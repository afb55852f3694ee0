"""Amounts, grade ranges and dates written the same way on every page, per language.

Examples, Danish / English:

- ``{{ booking.price_total|money }}``: 1.500 / 1,500 (the template adds "DKK");
- ``{{ event|grade_range }}``: 4.–6. klassetrin / grades 4–6;
- ``{{ booking.grade|grade_range }}``: 4. klassetrin / grade 4;
- ``{{ occasion.starts_at|local_date:"WEEKDAY_DATETIME_FORMAT" }}``.
"""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import formats, translation

from portal import formatting

register = template.Library()


@register.filter
def money(value) -> str:
    """See ``portal.formatting.money``."""
    return formatting.money(value)


@register.filter
def grade_range(value) -> str:
    """One grade (a number), or the grades of anything with ``grade_min`` and ``grade_max``."""
    if isinstance(value, int):
        return formatting.grade_range(value, value)
    return formatting.grade_range(value.grade_min, value.grade_max)


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, name: str = "DATE_FORMAT") -> str:
    """A date or datetime in a format named in ``portal/formats/<language>/formats.py``.

    Django's own names (DATE_FORMAT, DATETIME_FORMAT, ...) work as with ``|date``; the portal
    adds WEEKDAY_DATE_FORMAT, WEEKDAY_DATETIME_FORMAT, DAY_MONTH_TIME_FORMAT and
    ABBR_DATE_FORMAT, which Django's ``get_format`` does not know.
    """
    if value in (None, ""):
        return ""
    if name not in formats.FORMAT_SETTINGS:
        lang = translation.get_language()
        for module in formats.get_format_modules(lang):
            if hasattr(module, name):
                name = getattr(module, name)
                break
        else:
            raise template.TemplateSyntaxError(f"Unknown date format name {name!r}")
    return date_filter(value, name)
