from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from geo.positions import DENMARK
from municipalities.models import Municipality
from portal.forms import (
    BoundedDateField,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    SubmitKeyField,
)
from portal.uploads import resized_image, validate_image

from .models import (
    Association,
    Domain,
    Instructor,
    Offer,
    OfferPhoto,
    Subject,
)

LOGO_SIZE = (600, 600)
PHOTO_SIZE = (1600, 1600)
#: Labels with a context of their own ("weekday"): an app's translation of a plain "Monday"
#: is also the one Django writes dates with ("l"), where a label's capital is wrong in Danish.
WEEKDAYS = [
    ("1", pgettext_lazy("weekday", "Monday")),
    ("2", pgettext_lazy("weekday", "Tuesday")),
    ("3", pgettext_lazy("weekday", "Wednesday")),
    ("4", pgettext_lazy("weekday", "Thursday")),
    ("5", pgettext_lazy("weekday", "Friday")),
]
GRADE_CHOICES = [(g, f"{g}.") for g in range(11)]


def _row(*fields, cols: int = 2) -> Div:
    width = 12 // cols
    return Div(*[Div(f, css_class=f"col-md-{width}") for f in fields], css_class="row")


def checked_image(upload, size: tuple[int, int]):
    """A newly uploaded image is checked by content and re-encoded smaller; stored ones pass."""
    if isinstance(upload, UploadedFile):
        validate_image(upload)
        return resized_image(upload, size)
    return upload


class AssociationForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(
        label=_("Type of association"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
    )
    municipalities = BoundedModelMultipleChoiceField(
        label=_("Municipalities you offer in"),
        queryset=Municipality.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Schools in these municipalities see your offers once they are approved."),
    )

    class Meta:
        model = Association
        fields = [
            "name",
            "cvr",
            "domains",
            "description",
            "address",
            "postal_code",
            "town",
            "latitude",
            "longitude",
            "website",
            "contact_name",
            "contact_role",
            "contact_phone",
            "contact_email",
            "members_under_18",
            "members_under_25",
            "municipalities",
            "logo",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "cvr": _("The association's 8-digit CVR number."),
            "description": _("A few lines about who you are and what you do with children."),
            "latitude": _("Shown on the map, e.g. 56.036. Empty: found from the address."),
            "longitude": _("Shown on the map, e.g. 12.611. Empty: found from the address."),
            "contact_name": _("The one person schools and the municipality contact."),
            "members_under_25": _("Including those under 18."),
            "logo": _("JPEG, PNG or WebP, at most 5 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("About the association"), "name", "cvr", "domains", "description"),
            Fieldset(
                _("Address"),
                "address",
                _row("postal_code", "town"),
                _row("latitude", "longitude"),
                HTML('{% include "associations/_position_map.html" %}'),
                "website",
            ),
            Fieldset(
                _("Contact person"),
                _row("contact_name", "contact_role"),
                _row("contact_phone", "contact_email"),
            ),
            Fieldset(
                _("Members and municipalities"),
                _row("members_under_18", "members_under_25"),
                "municipalities",
            ),
            Fieldset(_("Logo"), "logo"),
        )

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        if lat is not None and not DENMARK.south <= lat <= DENMARK.north:
            self.add_error("latitude", _("This is not a position in Denmark."))
        if lng is not None and not DENMARK.west <= lng <= DENMARK.east:
            self.add_error("longitude", _("This is not a position in Denmark."))
        moved = {"address", "postal_code", "town"} & set(self.changed_data)
        if moved and self.instance.pk and not {"latitude", "longitude"} & set(self.changed_data):
            # A new address with the old marker: look the position up again on save.
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned

    def clean_logo(self):
        return checked_image(self.cleaned_data.get("logo"), LOGO_SIZE)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your colleague"))


class JoinRequestForm(forms.Form):
    association = BoundedModelChoiceField(
        label=_("Association"),
        queryset=Association.objects.none(),
        help_text=_("Its administrators are asked to approve you."),
    )
    message = forms.CharField(
        label=_("Message to the administrators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only approved associations are listed: drafts are seen by their members alone
        # (a new association's admin invites colleagues instead).
        queryset = Association.objects.published()
        if user is not None and user.is_authenticated:
            queryset = queryset.exclude(memberships__user=user)
        self.fields["association"].queryset = queryset.order_by("name")


class InstructorForm(forms.ModelForm):
    class Meta:
        model = Instructor
        fields = [
            "name",
            "role",
            "school_experience",
            "child_certificate_confirmed",
            "child_certificate_date",
        ]
        widgets = {"school_experience": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"child_certificate_date": BoundedDateField}
        help_texts = {
            "school_experience": _("E.g. years as a coach for school classes, or as a teacher."),
            "child_certificate_date": _(
                "The date the child certificate was issued. We store only the date."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A certificate is issued before it is typed in; older ones are told apart elsewhere.
        self.fields["child_certificate_date"].future = False
        self.fields["child_certificate_date"].years_back = 15
        self.helper = FormHelper()
        self.helper.form_tag = False


@dataclass(frozen=True)
class OfferStep:
    """One step of the offer form: its address, its title and its fields, in the order shown
    (a tuple of names is a row of fields side by side)."""

    slug: str
    title: str
    layout: tuple = ()

    @property
    def fields(self) -> list[str]:
        names = []
        for item in self.layout:
            names.extend(item if isinstance(item, tuple) else [item])
        return names


#: The steps of the offer form, each saved on its own; the last one checks and submits.
OFFER_STEPS = (
    OfferStep(
        "what",
        _("What"),
        ("title", "summary", "description", "domain", "subjects", "format"),
    ),
    OfferStep(
        "for-whom",
        _("For whom and where"),
        (
            ("grade_min", "grade_max"),
            ("pupils_min", "pupils_max"),
            "location",
            ("location_address", "location_postal_code"),
        ),
    ),
    OfferStep(
        "when",
        _("When"),
        (
            ("duration_minutes", "sessions_per_week"),
            ("season_start_week", "season_end_week"),
            "weekdays",
            "on_request",
        ),
    ),
    OfferStep(
        "price",
        _("Price and practical information"),
        ("price_model", "price_amount", "what_to_bring", "accessibility", "weather", "transport"),
    ),
    OfferStep(
        "goals",
        _("Learning goals and instructors"),
        ("learning_goals", "faelles_maal_url", "instructors", "instructor_experience"),
    ),
    OfferStep("submit", _("Photos and submit")),
)
STEPS_BY_SLUG = {step.slug: step for step in OFFER_STEPS}
#: The step that shows each field (to link to it from the list of what is missing).
STEP_OF_FIELD = {name: step for step in OFFER_STEPS for name in step.fields}

#: Fields that always hold a value in the database: left empty in a draft, they keep theirs.
KEPT_WHEN_EMPTY = (
    "grade_min",
    "grade_max",
    "pupils_min",
    "pupils_max",
    "sessions_per_week",
    "season_start_week",
    "season_end_week",
    "price_model",
)


class OfferForm(forms.ModelForm):
    """One step of the offer form (``OFFER_STEPS``). It saves a draft: every value is checked
    (types, ranges, choices), but nothing is required until the offer is submitted for
    screening (``Offer.missing_for_submission``)."""

    subjects = BoundedModelMultipleChoiceField(
        label=_("School subjects"),
        queryset=Subject.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grade_min = forms.TypedChoiceField(
        label=_("From grade"), choices=GRADE_CHOICES, coerce=int, empty_value=None
    )
    grade_max = forms.TypedChoiceField(
        label=_("To grade"), choices=GRADE_CHOICES, coerce=int, empty_value=None, initial=10
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The days it can take place. Choose at least one before you submit."),
    )
    instructors = BoundedModelMultipleChoiceField(
        label=_("Instructors"),
        queryset=Instructor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Who meets the pupils. The offer is shown only while all of them have a valid "
            "child certificate."
        ),
    )
    submit_key = SubmitKeyField()

    class Meta:
        model = Offer
        fields = [name for step in OFFER_STEPS for name in step.fields]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "learning_goals": forms.Textarea(attrs={"rows": 4}),
            "what_to_bring": forms.Textarea(attrs={"rows": 2}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
            "weather": forms.Textarea(attrs={"rows": 2}),
            "transport": forms.Textarea(attrs={"rows": 2}),
            "instructor_experience": forms.Textarea(attrs={"rows": 3}),
            "format": forms.RadioSelect,
            "location": forms.RadioSelect,
            "price_model": forms.RadioSelect,
        }
        help_texts = {
            "summary": _("One line that schools see in the list of offers."),
            "description": _("What the pupils do, and what they get out of it."),
            "location_address": _("Only when it takes place elsewhere."),
            "season_start_week": _(
                "The school year runs from week 33 to week 26; the range may cross New Year."
            ),
            "on_request": _("Schools propose dates. Otherwise you announce fixed dates."),
            "price_amount": _(
                "In DKK: per pupil for materials, per hour for an hourly fee, else per class "
                "or per session. Required unless the offer is free."
            ),
            "learning_goals": _("Which learning goals (Fælles Mål) the offer supports."),
            "faelles_maal_url": _("A link to the subject's Fælles Mål page on emu.dk."),
            "instructor_experience": _("E.g. experience with school classes and teaching."),
        }

    def __init__(self, *args, association: Association, step: OfferStep = OFFER_STEPS[0], **kw):
        super().__init__(*args, **kw)
        self.step = step
        keep = set(step.fields)
        if not self.instance.pk:
            keep.add("submit_key")  # only a new offer is created by this form
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for field in self.fields.values():
            field.required = False
        if "instructors" in self.fields:
            self.fields["instructors"].queryset = association.instructors.all()
        for name in ("format", "location", "price_model"):  # radio buttons need no "---------"
            if name in self.fields:
                field = self.fields[name]
                field.choices = [c for c in field.choices if c[0] != ""]
        if self.instance.pk and not self.is_bound:
            self.initial["weekdays"] = list(self.instance.weekdays)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form has its token
        items = [_row(*item) if isinstance(item, tuple) else item for item in step.layout]
        if "submit_key" in self.fields:
            items.append("submit_key")
        self.helper.layout = Layout(Fieldset(step.title, *items))

    def clean_weekdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data.get("weekdays") or [])))

    def clean(self):
        cleaned = super().clean()
        for name in KEPT_WHEN_EMPTY:
            if name in cleaned and cleaned[name] in (None, ""):
                cleaned[name] = getattr(self.instance, name)
        if cleaned.get("price_model") == "free":
            cleaned["price_amount"] = None
        if {"location", "location_address", "location_postal_code"} & set(self.changed_data):
            # A new place is looked up again when the offer is saved (Offer.save).
            self.instance.location_latitude = self.instance.location_longitude = None
        return cleaned


class OfferPhotoForm(forms.ModelForm):
    """A photo and its description; the number of photos is checked when it is added
    (``services.add_photo``, under the offer's lock), where a second click is known."""

    submit_key = SubmitKeyField()

    class Meta:
        model = OfferPhoto
        fields = ["image", "alt_text"]
        widgets = {
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_image(self):
        return checked_image(self.cleaned_data.get("image"), PHOTO_SIZE)
