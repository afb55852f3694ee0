from django.contrib import admin
from django.core.exceptions import ValidationError

from portal.forms import BOUNDED_RELATIONS

from .models import Municipality, SchoolYearSettings


def consultant_form(form, municipality):
    """``form`` for a consultant: the row's municipality is theirs, set rather than typed.

    It is set in ``clean()``, before the model's own validation (which checks the rest
    against it), and the uniqueness checks include it, as if it were a field of the form.
    """

    class ConsultantForm(form):
        def clean(self):
            cleaned = super().clean()
            if self.instance.municipality_id is None:
                self.instance.municipality = municipality
            return cleaned

        def validate_unique(self):
            # Django leaves out the fields the form does not show; this form checks every
            # field it validated, and the municipality.
            validated = {*self.cleaned_data, "municipality"}
            exclude = {f.name for f in self.instance._meta.fields} - validated
            try:
                self.instance.validate_unique(exclude=exclude)
                self.instance.validate_constraints(exclude=exclude)
            except ValidationError as error:
                # The model's validation checked the constraints without the municipality
                # already: each error is said once.
                for field, errors in error.update_error_dict({}).items():
                    said = set(self.errors.get(field, ()))
                    fresh = [e for e in errors if not set(e.messages) <= said]
                    if fresh:
                        self.add_error(None, ValidationError({field: fresh}))

    return ConsultantForm


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk=getattr(request.user.consultant_municipality, "pk", None))

    def get_readonly_fields(self, request, obj=None):
        # A consultant tunes the municipality's rules, not its identity.
        return [] if request.user.is_superuser else ["name", "slug", "code", "is_active"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TenantAdmin(admin.ModelAdmin):
    """Rows of the consultant's municipality; the municipality is the consultant's."""

    formfield_overrides = BOUNDED_RELATIONS

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["municipality"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        return consultant_form(form, request.user.consultant_municipality)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            request.user.is_superuser or request.user.consultant_municipality is not None
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Consultants are appointed in screening's admin (``screening/admin.py``): the one step creates
# or links the user and gives the Consultant group, which are the layers above this one.


admin.site.register(SchoolYearSettings)
