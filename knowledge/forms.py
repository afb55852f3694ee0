"""The proposer's forms: the good example's text and its pictures (checked and resized as
an offer's photos are, ``associations.forms.checked_image``), and the admin's picture form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from associations.forms import PHOTO_SIZE, checked_image
from portal.forms import SubmitKeyField

from .models import Item, ItemPhoto

MAX_PHOTOS = 6
GRADE_CHOICES = [("", "–"), *((g, f"{g}.") for g in range(11))]


class ProposalForm(forms.ModelForm):
    grade_min = forms.TypedChoiceField(
        label=_("From grade"), choices=GRADE_CHOICES, coerce=int, empty_value=None, required=False
    )
    grade_max = forms.TypedChoiceField(
        label=_("To grade"), choices=GRADE_CHOICES, coerce=int, empty_value=None, required=False
    )

    class Meta:
        model = Item
        fields = ["title", "summary", "body", "audience", "grade_min", "grade_max", "pupils"]
        labels = {"body": _("The story")}
        help_texts = {
            "body": _(
                "What you did, how it went and what others can learn from it. "
                "Never write pupils' names. An empty line starts a new paragraph."
            )
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "pupils": forms.NumberInput(attrs={"min": 0, "max": 5000}),
        }

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("grade_min"), cleaned.get("grade_max")
        if low is not None and high is not None and low > high:
            self.add_error("grade_max", _("The first grade must not be after the last."))
        return cleaned


class AdminPhotoForm(forms.ModelForm):
    """A picture the consultant adds in the admin: checked and re-encoded like a proposer's,
    so that it is stored under the extension of what it is (``files.PICTURE_TYPES``)."""

    class Meta:
        model = ItemPhoto
        fields = ["image", "alt_text", "position"]

    def clean_image(self):
        return checked_image(self.cleaned_data.get("image"), PHOTO_SIZE)


class PhotoForm(forms.ModelForm):
    submit_key = SubmitKeyField()

    class Meta:
        model = ItemPhoto
        fields = ["image", "alt_text"]
        widgets = {
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

    def __init__(self, *args, item: Item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.repeated = False

    def clean(self):
        cleaned = super().clean()
        # The picture this page added already, sent again by a second click (under the lock
        # of the proposal's row, so two clicks at once find it too).
        key = cleaned.get("submit_key")
        self.repeated = key is not None and self.item.photos.filter(submit_key=key).exists()
        if not self.repeated and self.item.photos.count() >= MAX_PHOTOS:
            raise forms.ValidationError(
                _("A good example can have at most %(n)s pictures. Remove one to add another."),
                params={"n": MAX_PHOTOS},
                code="too_many",
            )
        return cleaned

    def clean_image(self):
        return checked_image(self.cleaned_data.get("image"), PHOTO_SIZE)
