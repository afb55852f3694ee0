"""portal.forms.ShortModelChoiceField: a few rows, read once, validated against them."""

import pytest
from django import forms

from portal.forms import ShortModelChoiceField
from schools.models import School
from tests import factories as f

pytestmark = pytest.mark.django_db


class SchoolForm(forms.Form):
    school = ShortModelChoiceField(queryset=School.objects.order_by("name"), empty_label=None)


def test_reads_its_rows_once_for_validation_and_every_render(
    municipality, django_assert_num_queries
):
    schools = [f.SchoolFactory(municipality=municipality) for _ in range(3)]
    form = SchoolForm({"school": str(schools[1].pk)})
    with django_assert_num_queries(1):
        assert form.is_valid()
        str(form["school"])
        str(form["school"])
    assert form.cleaned_data["school"] == schools[1]
    assert str(form["school"]).count("<option") == 3


def test_refuses_a_row_outside_its_queryset(municipality, other_municipality):
    mine = f.SchoolFactory(municipality=municipality)
    other = f.SchoolFactory(municipality=other_municipality)
    form = SchoolForm({"school": str(other.pk)})
    form.fields["school"].queryset = School.objects.filter(pk=mine.pk)
    assert not form.is_valid()
    assert "school" in form.errors
    form = SchoolForm({"school": "not a number"})
    assert not form.is_valid()


def test_rows_in_memory_need_no_query(municipality, django_assert_num_queries):
    school = f.SchoolFactory(municipality=municipality)
    form = SchoolForm({"school": str(school.pk)})
    form.fields["school"].use_rows([school])
    with django_assert_num_queries(0):
        assert form.is_valid()
        assert str(school.pk) in str(form["school"])
    # A new queryset drops the rows given before.
    form.fields["school"].queryset = School.objects.none()
    assert list(form.fields["school"].rows) == []


def test_rows_in_memory_need_no_queryset(municipality, other_municipality):
    class RowsOnlyForm(forms.Form):
        school = ShortModelChoiceField(queryset=None, empty_label=None)

    mine = f.SchoolFactory(municipality=municipality, name="Mine")
    other = f.SchoolFactory(municipality=other_municipality)
    form = RowsOnlyForm({"school": str(mine.pk)})
    form.fields["school"].use_rows([mine])
    assert form.is_valid() and form.cleaned_data["school"] == mine
    assert str(form["school"]).count("<option") == 1 and ">Mine<" in str(form["school"])
    form = RowsOnlyForm({"school": str(other.pk)})
    form.fields["school"].use_rows([mine])
    assert not form.is_valid()


def test_a_known_row_is_accepted_without_a_query_and_others_are_still_checked(
    municipality, other_municipality, django_assert_num_queries
):
    mine = f.SchoolFactory(municipality=municipality)
    colleague = f.SchoolFactory(municipality=municipality)
    other = f.SchoolFactory(municipality=other_municipality)

    def form_for(choice):
        form = SchoolForm({"school": str(choice.pk)})
        form.fields["school"].queryset = School.objects.filter(municipality=municipality)
        form.fields["school"].knows(mine)
        return form

    form = form_for(mine)
    with django_assert_num_queries(0):
        assert form.is_valid()
    assert form.cleaned_data["school"] is mine
    form = form_for(colleague)
    with django_assert_num_queries(1):
        assert form.is_valid()
    assert form.cleaned_data["school"] == colleague
    assert not form_for(other).is_valid()


def test_rows_from_a_function_are_read_only_when_needed(
    municipality, other_municipality, django_assert_num_queries
):
    mine = f.SchoolFactory(municipality=municipality)
    colleague = f.SchoolFactory(municipality=municipality)
    other = f.SchoolFactory(municipality=other_municipality)
    calls = []

    def form_for(choice):
        form = SchoolForm({"school": str(choice.pk)})
        form.fields["school"].rows_from(
            lambda: calls.append(1) or School.objects.filter(municipality=municipality)
        )
        form.fields["school"].knows(mine)
        return form

    with django_assert_num_queries(0):
        assert form_for(mine).is_valid()
    assert calls == []  # not even the queryset was built
    assert form_for(mine).fields["school"].choices  # truth asks the rows, not a queryset
    form = form_for(colleague)
    with django_assert_num_queries(1):
        assert form.is_valid()
        rendered = str(form["school"])  # the rows read for validation serve the render
    assert f'value="{colleague.pk}"' in rendered and f'value="{other.pk}"' not in rendered
    assert not form_for(other).is_valid()


def test_a_number_no_primary_key_can_have_is_an_invalid_choice(municipality):
    from associations.models import Subject
    from portal.forms import BoundedModelMultipleChoiceField

    class SubjectsForm(forms.Form):
        subjects = BoundedModelMultipleChoiceField(queryset=Subject.objects.all())

    subject = Subject.objects.create(slug="dansk-y", name="Dansk Y")
    form = SubjectsForm({"subjects": [str(subject.pk), str(2**70)]})
    assert not form.is_valid()  # no OverflowError from the database
    assert form.errors["subjects"]
    assert SubjectsForm({"subjects": [str(subject.pk)]}).is_valid()
    form = SchoolForm({"school": str(2**70)})  # the short list compares as text
    assert not form.is_valid()

    from portal.forms import BoundedModelChoiceField

    class OneSubjectForm(forms.Form):
        subject = BoundedModelChoiceField(queryset=Subject.objects.all())

    assert not OneSubjectForm({"subject": str(2**70)}).is_valid()
    assert OneSubjectForm({"subject": str(subject.pk)}).is_valid()
