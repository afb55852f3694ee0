"""The partner's forms for an action plan. Every choice is limited to what the partner may
pick (the municipality's focus areas, the plan's areas, the association's own offers)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from associations.models import Offer
from portal.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField, SubmitKeyField

from .models import Activity, FocusArea, Goal


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    focus_areas = BoundedModelMultipleChoiceField(
        label=_("Focus areas"),
        queryset=FocusArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(
            municipality=partnership.municipality, kind=FocusArea.Kind.PARTNERSHIP
        ).order_by("position", "name")


class _PlanPartForm(forms.ModelForm):
    submit_key = SubmitKeyField()
    focus_area = BoundedModelChoiceField(label=_("Focus area"), queryset=FocusArea.objects.none())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = plan.focus_areas.order_by("position", "name")


class GoalForm(_PlanPartForm):
    class Meta:
        model = Goal
        fields = ["focus_area", "description", "indicator", "target"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ActivityForm(_PlanPartForm):
    offer = BoundedModelChoiceField(label=_("Offer"), queryset=Offer.objects.none(), required=False)

    class Meta:
        model = Activity
        fields = ["focus_area", "what", "who", "when", "offer"]
        widgets = {"what": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        association = plan.live.partnership.association
        if association is not None:
            self.fields["offer"].queryset = Offer.objects.live().filter(association=association)
