from datetime import datetime, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import (
    BoundedDateTimeField,
    ShortModelChoiceField,
    SubmitKeyField,
    check_date_in_range,
)

from .models import Evaluation, Occasion, SubsidyPool


class BookingRequestForm(forms.Form):
    """What every booking form asks; an offer's kind adds its date fields
    (``booking_request_form`` picks the form: ``DateBookingForm``, ``OnRequestBookingForm``)."""

    school = ShortModelChoiceField(queryset=None, label=_("School"), empty_label=None)
    classes = forms.CharField(
        label=_("Classes"), max_length=100, help_text=_("For example 5.A and 5.B.")
    )
    class_count = forms.IntegerField(
        label=_("Number of classes"), min_value=1, max_value=10, initial=1
    )
    grade = forms.IntegerField(label=_("Grade"), min_value=0, max_value=10)
    pupils = forms.IntegerField(
        label=_("Number of pupils"),
        min_value=1,
        max_value=500,
        help_text=_("Only the number. Never write pupils' names."),
    )
    contact_teacher = ShortModelChoiceField(
        queryset=None, label=_("Contact teacher"), empty_label=None
    )
    special_needs = forms.CharField(
        label=_("Special needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example accessibility or allergies – without names."),
    )
    message = forms.CharField(
        label=_("Message to the association"),
        required=False,
        max_length=3000,
        help_text=_("Never write pupils' names here."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submit_key = SubmitKeyField()

    def __init__(self, *args, offer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        schools = [m.school for m in user.active_school_memberships]
        # The user's schools, read with their municipalities; the choice is among these only.
        self.fields["school"].use_rows(schools)
        self.fields["contact_teacher"].rows_from(
            lambda: (
                get_user_model()
                .objects.filter(
                    school_memberships__school__in=schools, school_memberships__is_approved=True
                )
                .distinct()
            )
        )
        self.fields["contact_teacher"].initial = user.pk
        # The user holds an approved membership of each of these schools (the cached roles),
        # so choosing themself needs no query; a colleague is checked against the list.
        self.fields["contact_teacher"].knows(user)
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
        # The browser's hints (min/max attributes); clean() checks them on the server.
        self.fields["grade"].min_value = offer.grade_min
        self.fields["grade"].max_value = offer.grade_max
        self.fields["pupils"].min_value = offer.pupils_min

    def clean(self):
        data = super().clean()
        if None not in (data.get("grade"), data.get("pupils"), data.get("class_count")):
            from .services import validate_group

            try:
                validate_group(self.offer, data["grade"], data["pupils"], data["class_count"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        contact = data.get("contact_teacher")
        school = data.get("school")
        # With one school the list of teachers already holds only that school's staff.
        if (
            contact
            and school
            and len(self.fields["school"].rows) > 1
            and not contact.school_memberships.filter(school=school, is_approved=True).exists()
        ):
            self.add_error("contact_teacher", _("The contact teacher must work at the school."))
        return data

    def preferred(self) -> list[tuple[datetime, datetime]]:
        """The preferred dates as (start, end): none on a form with fixed dates."""
        return []


class DateBookingForm(BookingRequestForm):
    """An offer with fixed dates: the school chooses one of ``occasions``."""

    field_order = ["school", "occasion", "join_waiting_list"]

    occasion = ShortModelChoiceField(
        queryset=Occasion.objects.none(), label=_("Date"), widget=forms.RadioSelect
    )
    join_waiting_list = forms.BooleanField(
        label=_("If the date is full, put us on the waiting list"), required=False
    )

    def __init__(self, *args, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions
        self.fields["occasion"].label_from_instance = self._occasion_label

    @staticmethod
    def _occasion_label(occasion):
        start = timezone.localtime(occasion.starts_at)
        end = timezone.localtime(occasion.ends_at)
        text = _("%(date)s %(start)s–%(end)s, %(places)s") % {
            "date": start.strftime("%d.%m.%Y"),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
            "places": occasion.free_text(),
        }
        if occasion.session_count > 1:
            text += " · " + _("course with %(n)s sessions") % {"n": occasion.session_count}
        if occasion.place:
            text += f" · {occasion.place}"
        if occasion.confirm_on_booking:
            text += " · " + _("confirmed on booking")
        if occasion.collects_requests():
            text += " · " + _(
                "requests collected until %(date)s, then one class per school first and a draw"
            ) % {"date": timezone.localtime(occasion.allocation_deadline).strftime("%d.%m.%Y")}
        return text


class OnRequestBookingForm(BookingRequestForm):
    """An offer on request: the school names one to three preferred dates."""

    field_order = ["school", "preferred_1", "preferred_2", "preferred_3", "sessions"]

    preferred_1 = BoundedDateTimeField(label=_("Preferred date and time"), past=False)
    preferred_2 = BoundedDateTimeField(label=_("Second choice"), required=False, past=False)
    preferred_3 = BoundedDateTimeField(label=_("Third choice"), required=False, past=False)
    sessions = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=40,
        initial=1,
        help_text=_("A course over several weeks is booked as one series."),
    )

    def preferred(self) -> list[tuple[datetime, datetime]]:
        length = timedelta(minutes=self.offer.duration_minutes)
        starts = [self.cleaned_data.get(f"preferred_{n}") for n in (1, 2, 3)]
        return [(s, s + length) for s in starts if s]


def booking_request_form(data, *, offer, user, occasions) -> BookingRequestForm:
    """The booking form of ``offer``'s kind: its ``occasions`` to choose from (a queryset),
    or preferred dates for an offer on request (``occasions`` is not read)."""
    if offer.on_request:
        return OnRequestBookingForm(data, offer=offer, user=user)
    return DateBookingForm(data, offer=offer, user=user, occasions=occasions)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConfirmForm(NoteForm):
    """Confirming a request the school sent with preferred dates names the chosen one (the
    page's radio buttons send its start); a form without it confirms the first."""

    chosen = forms.CharField(required=False, max_length=40)

    def clean_chosen(self) -> datetime | None:
        value = self.cleaned_data["chosen"]
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                _("Choose one of the school's preferred dates."), code="invalid"
            ) from None


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProposeForm(forms.Form):
    starts_at = BoundedDateTimeField(label=_("New start"))
    ends_at = BoundedDateTimeField(label=_("New end"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        # The same rule as bookings.services.transition, so the user sees which field is wrong.
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and starts_at <= timezone.now():
            self.add_error("starts_at", _("The new date must be in the future."))
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    submit_key = SubmitKeyField()


class EvaluationForm(forms.ModelForm):
    submit_key = SubmitKeyField()

    class Meta:
        model = Evaluation
        fields = ["rating", "took_place", "pupils_reached", "pupils_joined", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, side, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget = forms.Select(choices=[(n, n) for n in range(1, 6)])
        if side != "association":
            del self.fields["pupils_joined"]


class OccasionForm(forms.ModelForm):
    extra_sessions = forms.CharField(
        label=_("Further course sessions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For a course: one session per line as DD.MM.YYYY HH:MM-HH:MM. "
            "The course is booked as one series."
        ),
    )
    submit_key = SubmitKeyField()

    class Meta:
        model = Occasion
        fields = [
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "capacity_unit",
            "allocation_deadline",
            "confirm_on_booking",
        ]
        field_classes = dict.fromkeys(
            ["starts_at", "ends_at", "allocation_deadline"], BoundedDateTimeField
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["submit_key"]  # an edit sent twice saves the same values twice

    def clean(self):
        """A new date, or a date moved, must lie ahead; an occasion that has passed can still
        be edited in other ways (its place, say) without being moved."""
        data = super().clean()
        now = timezone.now()
        for name in ("starts_at", "allocation_deadline"):
            if name in self.changed_data and data.get(name) and data[name] < now:
                self.add_error(name, _("The date has passed: choose a later one."))
        return data

    def clean_extra_sessions(self):
        sessions = []
        tz = timezone.get_current_timezone()
        for line in self.cleaned_data["extra_sessions"].splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                day, times = line.split()
                start_t, end_t = times.split("-")
                start = datetime.strptime(f"{day} {start_t}", "%d.%m.%Y %H:%M")
                end = datetime.strptime(f"{day} {end_t}", "%d.%m.%Y %H:%M")
            except ValueError as exc:
                raise forms.ValidationError(
                    _("Could not read “%(line)s”. Write e.g. 12.03.2027 10:00-11:30.")
                    % {"line": line}
                ) from exc
            check_date_in_range(start)
            if start < timezone.localtime().replace(tzinfo=None):
                raise forms.ValidationError(
                    _("%(line)s has passed: choose a later date.") % {"line": line}
                )
            sessions.append((timezone.make_aware(start, tz), timezone.make_aware(end, tz)))
        return sessions


class SubsidyPoolForm(forms.ModelForm):
    class Meta:
        model = SubsidyPool
        fields = [
            "school_year",
            "amount",
            "municipality_share_percent",
            "cap_per_school",
            "cap_per_booking",
            "max_hourly_rate",
        ]


class PoolAmountForm(forms.Form):
    """A pool's new amount; what it holds already is checked by ``services.change_amount``."""

    amount = forms.DecimalField(
        label=_("New amount (DKK)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "Raise or cut the budget during the school year; not below what is reserved and spent."
        ),
    )


class ApprovalForm(forms.Form):
    """A school leader's decision on a booking waiting for approval (``services.approval``)."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("disapprove", _("Do not approve"))]
    )
    note = forms.CharField(
        label=_("Message to the teacher"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you do not approve: the teacher is told why."),
    )
    back = forms.ChoiceField(
        choices=[("detail", "detail"), ("my_school", "my_school")], required=False
    )
