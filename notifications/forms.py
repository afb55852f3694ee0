from django import forms

from . import kinds, services


class PreferencesForm(forms.Form):
    """One checkbox per kind of e-mail a user may turn off."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for kind in kinds.optional_kinds():
            self.fields[self.field_name(kind.code)] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=services.wants(user, kind.code),
            )

    @staticmethod
    def field_name(code: str) -> str:
        return "kind_" + code.replace(".", "__")

    def save(self) -> None:
        for kind in kinds.optional_kinds():
            services.set_preference(
                self.user, kind.code, self.cleaned_data[self.field_name(kind.code)]
            )
