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

    def __init__(self, *args, action: str, reasons=None, owner: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if owner:  # who it goes to: an association, a school, a partner
            self.fields["message"].label = _("Message to %(owner)s") % {"owner": owner}
        if action == Transition.REJECT:
            self.fields["reason"].queryset = reasons
            self.fields["reason"].required = True
            self.fields["message"].label = _("Further explanation (optional)")
        else:
            del self.fields["reason"]
        if action == Transition.REQUEST_CHANGES:
            self.fields["message"].required = True
            self.fields["message"].help_text = (
                _("Tell %(owner)s what to change.") % {"owner": owner}
                if owner
                else _("Tell the association what to change.")
            )


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

    def __init__(self, *args, owner: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if owner:
            self.fields["visibility"].choices = [
                (self.VISIBLE, _("Message to %(owner)s (it is e-mailed)") % {"owner": owner}),
                (
                    self.INTERNAL,
                    _("Internal note among consultants (%(owner)s never sees it)")
                    % {"owner": owner},
                ),
            ]


class ChecklistForm(forms.ModelForm):
    """The boxes of the item's kind (``kind.MANUAL_CHECKS``), in its words."""

    class Meta:
        model = Review
        fields = list(Review.CHECKS)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name in kind.MANUAL_CHECKS:
                self.fields[name].label = kind.check_label(name)
            else:
                del self.fields[name]
