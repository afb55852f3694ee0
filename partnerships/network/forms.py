"""The sign-up form: for which party (only the user's own, for this event) and how many."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import SubmitKeyField

from .models import MAX_PARTICIPANTS


def party_value(party) -> str:
    return f"{party._meta.model_name}-{party.pk}"


class RegistrationForm(forms.Form):
    party = forms.ChoiceField(label=_("Sign up for"))
    participants = forms.IntegerField(
        label=_("Number of participants"), min_value=1, max_value=MAX_PARTICIPANTS, initial=1
    )
    submit_key = SubmitKeyField()

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = {party_value(p): p for p in parties}
        self.fields["party"].choices = [(v, str(p)) for v, p in self.parties.items()]
        if len(parties) == 1:
            self.fields["party"].widget = forms.HiddenInput()
            self.fields["party"].initial = party_value(parties[0])

    def clean_party(self):
        return self.parties[self.cleaned_data["party"]]
