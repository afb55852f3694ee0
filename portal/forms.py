"""Form helpers shared by the apps."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class _OnceIterator(ModelChoiceIterator):
    """Iterates the field's rows, read once, for every pass (validation, each render)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows) + (self.field.empty_label is not None)

    def __bool__(self):
        # Django's version asks the queryset, which a field with rows_from() does not have.
        return self.field.empty_label is not None or bool(self.field.rows)


class ShortModelChoiceField(forms.ModelChoiceField):
    """A choice among a few rows (the user's schools, an offer's dates), read once per form.

    Django's ModelChoiceField runs its query again for validation and for each time the
    widget is rendered (twice with crispy-forms); this one reads the rows once and validates
    against them. Meant for short lists only: every row is loaded.
    """

    iterator = _OnceIterator
    _rows = None
    _known = None
    _load = None
    #: The queryset the rows above stand for: a field given a new queryset (Django's setter
    #: makes a new object) forgets them.
    _rows_for = None

    def use_rows(self, rows) -> None:
        """Offer these objects, already in memory (the user's schools, say), instead of
        reading the queryset; they must be rows the queryset would return, if one is set
        (a field offering only these rows needs none)."""
        self._rows, self._load, self._rows_for = list(rows), None, self.queryset
        self.widget.choices = self.choices  # as setting a queryset does

    def rows_from(self, load) -> None:
        """Read the rows with ``load()`` (a queryset) when they are first needed: to render
        the choices, or to check a choice other than the known one (``knows``). A form that
        is only submitted with the known choice then builds no query at all."""
        self._rows, self._load, self._rows_for = None, load, self.queryset
        self.widget.choices = self.choices  # as setting a queryset does

    def knows(self, obj) -> None:
        """``obj`` is certainly one of the rows (the signed-in teacher in the list of their
        own school's staff, say): a submitted choice of it is accepted without reading the
        rows. Any other choice is checked against the rows as usual."""
        self._known = obj

    @property
    def rows(self):
        if self._rows_for is not self.queryset:  # a queryset set since
            self._rows = self._load = self._rows_for = None
        if self._rows is None and self._load is not None:
            self._rows = list(self._load())
        return self.queryset if self._rows is None else self._rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if self._known is not None and str(getattr(self._known, key)) == str(value):
            return self._known
        for obj in self.rows:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


#: The largest primary key a database holds (bigint); SQLite raises OverflowError past it.
MAX_PK = 2**63 - 1


def is_digits(text: str) -> bool:
    """Only the digits 0-9: ``str.isdigit()`` also accepts "²" and other characters that
    ``int()`` refuses, which made a 500 where a form error was due."""
    return text.isascii() and text.isdigit()


def _refuse_impossible_pks(field, values) -> None:
    """Numbers no primary key can have are an invalid choice, before any query: SQLite
    fails on them with OverflowError (a 500) instead of finding nothing."""
    for item in values if isinstance(values, list | tuple) else [values]:
        text = str(item).strip()
        if is_digits(text.lstrip("-")) and abs(int(text)) > MAX_PK:
            raise ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text},
            )


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses impossible primary keys without a query."""

    def to_python(self, value):
        _refuse_impossible_pks(self, value)
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses impossible primary keys without a query."""

    def clean(self, value):
        _refuse_impossible_pks(self, value)
        return super().clean(value)


class IdAutocompleteSelect(AutocompleteSelect):
    """Django admin's autocomplete for a relation by id. A refused value is shown again by
    looking it up, and Django passes "abc" or 2**64 to that query (a 500): only values an id
    can be are looked up (``format_value``, Django's documented hook for a value that may be
    invalid). Give it as the ``widget`` in ``formfield_for_foreignkey`` of an integer key."""

    def format_value(self, value):
        return [v for v in super().format_value(value) if is_digits(v) and int(v) <= MAX_PK]


#: A ModelAdmin's ``formfield_overrides`` for the same: its many-to-many fields refuse
#: impossible primary keys too (Django's ``__in`` lookup passes them to the database; its
#: ``exact`` lookup, behind a foreign key's field, already finds nothing without a query).
BOUNDED_RELATIONS = {models.ManyToManyField: {"form_class": BoundedModelMultipleChoiceField}}

#: A whole number written with thousands separators: "2.000", "12 500" (Danish).
_GROUPED = re.compile(r"\d{1,3}(?:[. \u00a0]\d{3})+")


class CountField(forms.IntegerField):
    """A count a person types (members, volunteers). Django's IntegerField reads "2.000" as
    2 and refuses "1.200"; in Danish both are thousands, so grouped digits count as one
    number, and any other dot or comma (a decimal part) is refused."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if _GROUPED.fullmatch(text):
                value = re.sub(r"\D", "", text)
            elif "." in text or "," in text:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class _KeyInput(forms.HiddenInput):
    """A hidden input without an ``id``: it has no label to point at it, and a page may
    hold several forms that carry a key each (a booking's message and evaluation)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("id", None)
        return context


class SubmitKeyField(forms.UUIDField):
    """The idempotency token of a form that creates something (a booking, a message…).

    Every rendering of the form carries a new random key; the service stores it on the row
    it creates, under a unique constraint, so that the same form sent twice (a double
    click, a retry after a slow answer) creates one row and the second submit is answered
    with the first one's result. Optional: a client that sends none gets no such check. A
    malformed key is an error of the form, and the form is shown again with a fresh key.
    """

    widget = _KeyInput
    default_error_messages = {
        "invalid": _("This form could not be read. Please check it and send it again."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        kwargs.setdefault("label", "")  # its error speaks of the whole form
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        """A form shown again after an error keeps the key it was sent with (nothing was
        created under it), unless that key was missing or malformed: then it gets a new
        one, so that sending the form again can succeed."""
        try:
            uuid.UUID(str(data))
        except ValueError:
            return initial
        return data


# --- Dates --------------------------------------------------------------------------------

#: How far back and ahead a date typed into a form may lie. The portal plans a few school
#: years ahead and looks back at the previous ones; a year-1 or year-9999 date is a mistake
#: or an attack, and the calendar computations (holidays, time zones) cannot take it.
YEARS_BACK = 2
YEARS_AHEAD = 5


def date_range(
    years_back: int = YEARS_BACK, today: date | None = None, years_ahead: int = YEARS_AHEAD
) -> tuple[date, date]:
    """The first and last day a form accepts."""
    today = today or timezone.localdate()
    return date(today.year - years_back, 1, 1), date(today.year + years_ahead, 12, 31)


def check_date_in_range(
    value: date | datetime, years_back: int = YEARS_BACK, years_ahead: int = YEARS_AHEAD
) -> None:
    """Raise ValidationError (saying which dates are possible) for a date out of range."""
    day = value
    if isinstance(value, datetime):
        day = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    first, last = date_range(years_back, years_ahead=years_ahead)
    if not first <= day <= last:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={
                "first": formats.date_format(first, "SHORT_DATE_FORMAT"),
                "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
            },
        )


class _InRange:
    """A date field that accepts only the portal's range of years (``date_range``); with
    ``past=False`` nothing before today (for a time: now), with ``future=False`` nothing
    after it."""

    def __init__(
        self,
        *,
        past: bool = True,
        future: bool = True,
        years_back: int = YEARS_BACK,
        years_ahead: int = YEARS_AHEAD,
        **kwargs,
    ):
        self.past, self.future = past, future
        self.years_back, self.years_ahead = years_back, years_ahead
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        check_date_in_range(value, self.years_back, self.years_ahead)
        now = timezone.now() if isinstance(value, datetime) else timezone.localdate()
        if not self.past and value < now:
            raise ValidationError(_("The date has passed: choose a later one."), code="past")
        if not self.future and value > now:
            raise ValidationError(_("The date cannot be in the future."), code="future")


class BoundedDateField(_InRange, forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoundedDateTimeField(_InRange, forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
