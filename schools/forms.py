from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Domain, Offer, Subject
from portal.forms import (
    BoundedDateField,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    ShortModelChoiceField,
    SubmitKeyField,
)

from .models import School, SchoolEvent, SchoolNeed, SchoolRole


class NeedForm(forms.ModelForm):
    school = ShortModelChoiceField(queryset=None, label=_("School"), empty_label=None)
    domain = forms.ChoiceField(
        label=_("Domain"), choices=[("", _("Any"))] + list(Domain.choices), required=False
    )
    subjects = BoundedModelMultipleChoiceField(
        label=_("School subjects"),
        queryset=Subject.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    submit_key = SubmitKeyField()

    class Meta:
        model = SchoolNeed
        fields = [
            "school",
            "title",
            "description",
            "grade_min",
            "grade_max",
            "pupils",
            "period_start",
            "period_end",
            "domain",
            "subjects",
            "budget",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        field_classes = dict.fromkeys(["period_start", "period_end"], BoundedDateField)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import School

        self.fields["school"].queryset = School.objects.filter(pk__in=[s.pk for s in schools])
        self.fields["school"].use_rows(schools)
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        end = data.get("period_end")
        if end and "period_end" in self.changed_data and end < timezone.localdate():
            self.add_error("period_end", _("The date has passed: choose a later one."))
        return data

    def save(self, commit=True):
        self.instance.school = self.cleaned_data["school"]
        return super().save(commit)


class AnswerForm(forms.Form):
    association = forms.ChoiceField(label=_("Answer as"))
    offer = BoundedModelChoiceField(
        label=_("One of our offers"),
        queryset=Offer.objects.none(),
        required=False,
        empty_label=_("No offer, only a message"),
    )
    message = forms.CharField(
        label=_("Message to the school"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    submit_key = SubmitKeyField()

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = {str(a.pk): a for a in associations}
        self.fields["association"].choices = [(str(a.pk), a.name) for a in associations]
        if len(associations) == 1:
            self.fields["association"].widget = forms.HiddenInput()
            self.fields["association"].initial = str(associations[0].pk)
        offer_ids = [o.pk for a in associations for o in a.published_offers]
        self.fields["offer"].queryset = Offer.objects.filter(pk__in=offer_ids).order_by("title")

    def clean(self):
        data = super().clean()
        association = self.associations.get(data.get("association") or "")
        data["association"] = association
        offer = data.get("offer")
        if association is not None and offer is not None and offer.association_id != association.pk:
            self.add_error("offer", _("Choose one of this association's offers."))
        if not offer and not (data.get("message") or "").strip():
            raise forms.ValidationError(_("Choose an offer or write a message."))
        return data


class JoinSchoolForm(forms.Form):
    school = BoundedModelChoiceField(
        label=_("School"),
        queryset=School.objects.active()
        .select_related("municipality")
        .order_by("municipality__name", "name"),
    )
    role = forms.ChoiceField(label=_("Your role"), choices=SchoolRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].label_from_instance = lambda s: f"{s.name} ({s.municipality})"


class SchoolEventForm(forms.ModelForm):
    submit_key = SubmitKeyField()

    class Meta:
        model = SchoolEvent
        fields = ["title", "starts_on", "ends_on", "grade_min", "grade_max", "description"]
        field_classes = dict.fromkeys(["starts_on", "ends_on"], BoundedDateField)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        """Every order error on its own field, so that the model's check constraints behind
        them (bookings_schoolevent_dates, bookings_schoolevent_grades) are never reached."""
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if ends_on and ends_on < timezone.localdate():
            self.add_error(
                "ends_on", _("The last day has passed: the event must end today or later.")
            )
        elif starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day must not be before the first."))
        grade_min, grade_max = data.get("grade_min"), data.get("grade_max")
        if grade_min is not None and grade_max is not None and grade_max < grade_min:
            self.add_error("grade_max", _("The last grade must not be before the first."))
        return data


class ParticipationForm(forms.Form):
    offer = BoundedModelChoiceField(queryset=None, label=_("Offer"), required=False)
    message = forms.CharField(
        label=_("Message to the school"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    submit_key = SubmitKeyField()

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers


class AnswerParticipationForm(forms.Form):
    """The school's answer to an offer to take part: accept or decline, with a message."""

    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept the offer")), ("decline", _("Decline the offer"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the association"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never write pupils' names here."),
    )
    submit_key = SubmitKeyField()


class EventMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never write pupils' names here."),
    )
    submit_key = SubmitKeyField()
