from django.contrib import admin

from .models import Consultant, Municipality, SchoolYearSettings


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


@admin.register(Consultant)
class ConsultantAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "is_active"]
    list_filter = ["municipality", "is_active"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)


admin.site.register(SchoolYearSettings)
