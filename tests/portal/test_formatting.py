"""Amounts, grade ranges and dates are written one way on every page, per language."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from portal.formatting import grade_range, money, slug


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("da", Decimal("1500.00"), "1.500"),
        ("da", Decimal("38650"), "38.650"),
        ("da", Decimal("1234.5"), "1.234,50"),
        ("da", 0, "0"),
        ("da", 400000, "400.000"),
        ("en", Decimal("1500.00"), "1,500"),
        ("en", Decimal("1234.50"), "1,234.50"),
        ("en", 600.0, "600"),
    ],
)
def test_money(lang, value, expected):
    with translation.override(lang):
        assert money(value) == expected


def test_money_of_nothing_is_empty():
    assert money(None) == "" and money("") == ""


@pytest.mark.parametrize(
    ("lang", "first", "last", "expected"),
    [
        ("da", 4, 4, "4. klassetrin"),
        ("da", 4, 6, "4.–6. klassetrin"),
        ("en", 4, 4, "grade 4"),
        ("en", 4, 6, "grades 4–6"),
    ],
)
def test_grade_range(lang, first, last, expected):
    with translation.override(lang):
        assert grade_range(first, last) == expected


def _render(source: str, **context) -> str:
    return Template("{% load portal_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # Danish writes weekdays small, also when a form labels its choices "Tirsdag".
        ("da", "tirsdag 5. januar 2027 10:00 · 5. januar 2027 · 5. januar 10:00 · 5. jan 2027"),
        ("en", "Tuesday, 5 January 2027 10:00 · 5 January 2027 · 5 January 10:00 · 5 Jan 2027"),
    ],
)
def test_local_date_formats(lang, expected):
    when = datetime(2027, 1, 5, 9, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Copenhagen
    source = (
        '{{ when|local_date:"WEEKDAY_DATETIME_FORMAT" }} · {{ day|local_date }} · '
        '{{ when|local_date:"DAY_MONTH_TIME_FORMAT" }} · {{ day|local_date:"ABBR_DATE_FORMAT" }}'
    )
    with translation.override(lang):
        assert _render(source, when=when, day=date(2027, 1, 5)) == expected


def test_local_date_refuses_an_unknown_name():
    with pytest.raises(TemplateSyntaxError):
        _render('{{ day|local_date:"NO_SUCH_FORMAT" }}', day=date(2027, 1, 5))


def test_weekday_labels_keep_their_capital_apart_from_dates():
    """The forms' weekday choices ("weekday" context) start with a capital in Danish; the
    same words in a written date do not."""
    from associations.forms import WEEKDAYS
    from catalog.filters import WEEKDAY_CHOICES

    with translation.override("da"):
        assert [str(label) for _v, label in WEEKDAYS][:2] == ["Mandag", "Tirsdag"]
        assert str(dict(WEEKDAY_CHOICES)["3"]) == "Onsdag"
        monday = datetime(2027, 1, 4, 9, 0, tzinfo=ZoneInfo("UTC"))
        assert _render('{{ when|local_date:"WEEKDAY_DATE_FORMAT" }}', when=monday).startswith(
            "mandag "
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tjekliste før første besøg på skolen", "tjekliste-foer-foerste-besoeg-paa-skolen"),
        ("Ærø Sejlklub", "aeroe-sejlklub"),
        ("Idræt & bevægelse", "idraet-bevaegelse"),
    ],
)
def test_a_slug_keeps_danish_words_readable(text, expected):
    """Django's slugify alone drops æ and ø ("frste-besg")."""
    assert slug(text) == expected
