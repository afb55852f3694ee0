from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BoundedModelChoiceField

from .models import RejectionReason, Review
from .workflow import Transition


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the association"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    reason = BoundedModelChoiceField(
        label=_("Reason"), queryset=RejectionReason.objects.none(), required=False
    )

    def __init__(self, *args, action: str, reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action == Transition.REJECT:
            self.fields["reason"].queryset = reasons
            self.fields["reason"].required = True
            self.fields["message"].label = _("Further explanation (optional)")
        else:
            del self.fields["reason"]
        if action == Transition.REQUEST_CHANGES:
            self.fields["message"].required = True
            self.fields["message"].help_text = _("Tell the association what to change.")


class NoteForm(forms.Form):
    VISIBLE, INTERNAL = "association", "internal"
    message = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=[
            (VISIBLE, _("Message to the association (it is e-mailed)")),
            (INTERNAL, _("Internal note among consultants (the association never sees it)")),
        ],
        initial=INTERNAL,
        widget=forms.RadioSelect,
    )


class ChecklistForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = list(Review.CHECKS)
