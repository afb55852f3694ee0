"""portal.forms.SubmitKeyField: the idempotency key of a creating form."""

import re
import uuid

import pytest
from django import forms

from portal.forms import SubmitKeyField


class NoteForm(forms.Form):
    note = forms.CharField()
    submit_key = SubmitKeyField()


def rendered_key(form) -> str:
    (key,) = re.findall(r'name="submit_key" value="([^"]*)"', str(form["submit_key"]))
    return key


def test_every_rendering_has_a_new_key_in_a_hidden_input_without_an_id():
    first, second = NoteForm(), NoteForm()
    html = str(first["submit_key"])
    assert 'type="hidden"' in html and "id=" not in html
    assert rendered_key(first) != rendered_key(second)
    assert uuid.UUID(rendered_key(first)).version == 4
    assert rendered_key(first) == rendered_key(first)  # one key per form, however often shown


def test_the_key_is_cleaned_to_a_uuid_and_is_optional():
    key = uuid.uuid4()
    form = NoteForm({"note": "x", "submit_key": str(key)})
    assert form.is_valid() and form.cleaned_data["submit_key"] == key
    form = NoteForm({"note": "x"})
    assert form.is_valid() and form.cleaned_data["submit_key"] is None


def test_a_form_with_errors_keeps_a_good_key():
    key = str(uuid.uuid4())
    form = NoteForm({"note": "", "submit_key": key})
    assert not form.is_valid()
    assert rendered_key(form) == key


@pytest.mark.parametrize("bad", ["nope", "1" * 33, "<script>", "x" * 10_000, "' OR 1=1"])
def test_a_malformed_key_is_a_form_error_and_comes_back_fresh(bad):
    form = NoteForm({"note": "x", "submit_key": bad})
    assert not form.is_valid()
    assert form.errors["submit_key"] == [
        "Formularen kunne ikke læses. Kontrollér den, og send den igen."
    ]
    assert uuid.UUID(rendered_key(form))


def test_a_form_sent_without_a_key_comes_back_with_one():
    form = NoteForm({"note": ""})
    assert not form.is_valid()
    assert uuid.UUID(rendered_key(form))
