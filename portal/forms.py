"""Form helpers shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


class _OnceIterator(ModelChoiceIterator):
    """Iterates the field's queryset itself, so its result cache serves every pass."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows) + (self.field.empty_label is not None)


class ShortModelChoiceField(forms.ModelChoiceField):
    """A choice among a few rows (the user's schools, an offer's dates), read once per form.

    Django's ModelChoiceField runs its query again for validation and for each time the
    widget is rendered (twice with crispy-forms); this one reads the rows once and validates
    against them. Meant for short lists only: every row is loaded.
    """

    iterator = _OnceIterator
    _rows = None

    def _set_queryset(self, queryset):
        self._rows = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def use_rows(self, rows) -> None:
        """Offer these objects, already in memory (the user's cached schools, say), instead
        of reading the queryset; they must be rows the queryset would return."""
        self._rows = list(rows)

    @property
    def rows(self):
        return self.queryset if self._rows is None else self._rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for obj in self.rows:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )
