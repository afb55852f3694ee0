"""The partner's forms for an action plan. Every choice is limited to what the partner may
pick (the municipality's focus areas, the plan's areas, the association's own offers)."""

from datetime import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Offer
from portal.forms import (
    BoundedDateField,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    CountField,
    SubmitKeyField,
)

from .meetings import GoalStatus, StatusMeeting
from .models import MAX_MEMBERS, MAX_VOLUNTEERS, Activity, FocusArea, Goal, YearlyFigures


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


# --- The consultant's status meetings --------------------------------------------------------


class MeetingTimeForm(forms.Form):
    """A new day, times and place for a planned status meeting."""

    day = BoundedDateField(label=_("Date"), past=False)
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    # The version of the meeting the form was filled in from: the same values sent again
    # from an older version are a second click on a move already made, not "no change".
    sequence = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )

    @classmethod
    def for_meeting(cls, meeting):
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        initial = {"day": starts.date(), "starts": starts.time(), "ends": ends.time()}
        initial |= {"place": meeting.place, "sequence": meeting.sequence}
        return cls(initial=initial, prefix="move")

    def clean(self):
        return _meeting_times(self, super().clean())

    def changes_nothing(self, meeting) -> bool:
        """Sent as it was shown: the meeting keeps its time and place, and nobody is told."""
        data = self.cleaned_data
        planned = meeting.state == meeting.State.PLANNED  # else the move says why not
        return (
            planned
            and data.get("sequence") in (None, meeting.sequence)
            and (
                (data["starts_at"], data["ends_at"], data["place"])
                == (meeting.starts_at, meeting.ends_at, meeting.place)
            )
        )


def _meeting_times(form, data: dict) -> dict:
    """``starts_at`` and ``ends_at`` from the form's day and times, in the future, in order."""
    day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
    if day and starts and ends:
        tz = timezone.get_current_timezone()
        data["starts_at"] = timezone.make_aware(datetime.combine(day, starts), tz)
        data["ends_at"] = timezone.make_aware(datetime.combine(day, ends), tz)
        if data["ends_at"] <= data["starts_at"]:
            form.add_error("ends", _("The meeting must end after it starts."))
        elif data["starts_at"] < timezone.now():
            form.add_error("starts", _("The time has passed: choose a later one."))
    return data


class MeetingForm(forms.Form):
    """Schedule a status meeting: kind, day and times, place, whom to invite."""

    submit_key = SubmitKeyField()
    kind = forms.ChoiceField(label=_("Meeting"), choices=StatusMeeting.Kind.choices)
    day = BoundedDateField(label=_("Date"), past=False)
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    invited = forms.MultipleChoiceField(
        label=_("Participants"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each gets an invitation by e-mail with the meeting for their calendar."),
    )
    agenda_notes = forms.CharField(
        label=_("Other points on the agenda"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The goals of the approved action plan are on the agenda already."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.key: c for c in candidates}
        self.fields["invited"].choices = [(c.key, c.label) for c in candidates]

    def clean(self):
        return _meeting_times(self, super().clean())

    def invited_candidates(self) -> list:
        # A choice sent twice (a crafted form) is one invitee: ``candidates`` has one per address.
        return [self.candidates[key] for key in dict.fromkeys(self.cleaned_data["invited"])]


class MinutesForm(forms.Form):
    """The minutes: a status and a note per goal on the agenda, the next steps, and the
    consultant's internal notes (never shown to the partners)."""

    submit_key = SubmitKeyField()

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for n, row in enumerate(rows):
            initial = {"status": getattr(row, "status", ""), "note": getattr(row, "note", "")}
            self.fields[f"status_{n}"] = forms.ChoiceField(
                label=_("Status"),
                choices=[("", "---------"), *GoalStatus.Status.choices],
                initial=initial["status"] or None,
            )
            self.fields[f"note_{n}"] = forms.CharField(
                label=_("Note"),
                max_length=2000,
                required=False,
                initial=initial["note"],
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.rows.append((row, self[f"status_{n}"], self[f"note_{n}"]))
        self.fields["next_steps"] = forms.CharField(
            label=_("Next steps"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
        )
        self.fields["internal_notes"] = forms.CharField(
            label=_("Internal notes"),
            max_length=4000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Only the municipality's consultants see these; never the partners."),
        )

    def statuses(self) -> dict[int, tuple[str, str]]:
        return {
            n: (self.cleaned_data[f"status_{n}"], self.cleaned_data[f"note_{n}"])
            for n in range(len(self.rows))
        }


class FiguresForm(forms.ModelForm):
    """The partner's yearly figures: a year it may report (``figures.reportable_years``) and
    whole numbers within ``MAX_MEMBERS`` / ``MAX_VOLUNTEERS``; the model's rules (under 18
    within under 25, target areas within under 25) are checked by ``full_clean``."""

    # Chosen above the form (a GET picker that also loads a reported year to correct).
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, widget=forms.HiddenInput)

    class Meta:
        model = YearlyFigures
        fields = [
            "year",
            "members_under_18",
            "members_under_25",
            "volunteers",
            "members_target_areas",
        ]
        field_classes = {
            "members_under_18": CountField,
            "members_under_25": CountField,
            "volunteers": CountField,
            "members_target_areas": CountField,
        }

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        bounds = {
            "members_under_18": MAX_MEMBERS,
            "members_under_25": MAX_MEMBERS,
            "volunteers": MAX_VOLUNTEERS,
            "members_target_areas": MAX_MEMBERS,
        }
        for name, top in bounds.items():
            field = self.fields[name]
            field.min_value, field.max_value = 0, top
            field.widget.attrs.update({"min": 0, "max": top, "inputmode": "numeric"})
            # The model field's own "at least 0" is replaced, not repeated: one error each.
            field.validators = [
                *(v for v in field.validators if not isinstance(v, MinValueValidator)),
                MinValueValidator(0),
                MaxValueValidator(top),
            ]

    def validate_unique(self):
        """One row per year is kept by ``figures.report``, which corrects the year's row."""
