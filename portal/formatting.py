"""How pages write amounts of money and grade ranges, in the active language, and how
addresses and file names write Danish titles (``slug``).

The template filters in ``portal/templatetags/portal_format.py`` call these; Python code that
builds HTML text (the dashboard's tables) calls them directly. CSV and Excel exports have their
own fixed formats (``dashboard/exports.py``).
"""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def money(value) -> str:
    """An amount in kroner with the language's separators, without the currency.

    Whole kroner are written without decimals, any other amount with two:
    Danish "1.500" and "1.234,50", English "1,500" and "1,234.50". None and "" give "".
    """
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return str(value)
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, places, force_grouping=True)


def grade_range(first: int, last: int) -> str:
    """Danish "4. klassetrin" / "4.–6. klassetrin", English "grade 4" / "grades 4–6"."""
    if first == last:
        return _("grade %(grade)s") % {"grade": first}
    return _("grades %(first)s–%(last)s") % {"first": first, "last": last}


_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slug(text: str) -> str:
    """A slug that keeps Danish words readable: "Første besøg på skolen" gives
    "foerste-besoeg-paa-skolen" (Django's ``slugify`` drops æ and ø: "frste-besg-pa-skolen")."""
    return slugify(text.translate(_DANISH_LETTERS))
