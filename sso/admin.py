from django import forms
from django.contrib import admin

from .models import OIDCProvider


class OIDCProviderForm(forms.ModelForm):
    class Meta:
        model = OIDCProvider
        fields = [
            "municipality",
            "name",
            "issuer",
            "client_id",
            "client_secret",
            "scopes",
            "email_claim",
            "name_claim",
            "school_claim",
            "role_claim",
            "cvr_claim",
            "is_enabled",
        ]
        # The secret is written, never shown again.
        widgets = {"client_secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["client_secret"].required = False

    def clean_client_secret(self):
        secret = self.cleaned_data.get("client_secret")
        return secret or (self.instance.client_secret if self.instance.pk else secret)


@admin.register(OIDCProvider)
class OIDCProviderAdmin(admin.ModelAdmin):
    form = OIDCProviderForm
    list_display = ["name", "municipality", "issuer", "is_enabled"]
    list_filter = ["is_enabled", "municipality"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)
