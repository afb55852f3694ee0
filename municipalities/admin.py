from django.contrib import admin

from .models import Municipality, SchoolYearSettings


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

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["municipality"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        municipality = request.user.consultant_municipality

        class ConsultantForm(form):
            def _post_clean(self):
                # Before the model's clean(): it checks everything against the municipality.
                self.instance.municipality = municipality
                super()._post_clean()

            def _get_validation_exclusions(self):
                # The municipality is set, not typed: its unique constraints still count.
                return super()._get_validation_exclusions() - {"municipality"}

        return ConsultantForm

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            request.user.is_superuser or request.user.consultant_municipality is not None
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Consultants are appointed in screening's admin (``screening/admin.py``): the one step creates
# or links the user and gives the Consultant group, which are the layers above this one.


admin.site.register(SchoolYearSettings)
