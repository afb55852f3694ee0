from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import Consultant

from . import kinds, services


class PreferencesForm(forms.Form):
    """One checkbox per kind of e-mail a user may turn off, among the kinds that concern them
    (a teacher is not offered the consultants' digests). A posted kind that is not offered has
    no field, so it is ignored."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.consultant = getattr(user, "consultant", None)
        if self.consultant is not None:
            self.fields["submission_emails"] = forms.ChoiceField(
                label=_("E-mails about submissions waiting for screening"),
                choices=Consultant.DigestChoice.choices,
                initial=self.consultant.submission_emails,
                widget=forms.RadioSelect,
            )
        self.kinds = kinds.optional_kinds(user)
        for kind in self.kinds:
            self.fields[self.field_name(kind.code)] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=services.wants(user, kind.code),
            )

    @staticmethod
    def field_name(code: str) -> str:
        return "kind_" + code.replace(".", "__")

    def save(self) -> None:
        if self.consultant is not None:
            services.set_submission_emails(self.consultant, self.cleaned_data["submission_emails"])
        for kind in self.kinds:
            services.set_preference(
                self.user, kind.code, self.cleaned_data[self.field_name(kind.code)]
            )
