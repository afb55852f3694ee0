from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .checks import screened_models
from .models import RejectionReason, ScreeningEvent

# The admin index shows how many submissions wait (screening/templates/admin/screening_index.html).
admin.site.index_template = "admin/screening_index.html"


def scoped_events(queryset, user):
    """Events about items of the consultant's municipality; operators see all."""
    if user.is_superuser:
        return queryset
    q = Q(pk__in=[])
    for model in screened_models():
        q |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.for_consultant(user).values("pk"),
        )
    return queryset.filter(q)


@admin.register(ScreeningEvent)
class ScreeningEventAdmin(admin.ModelAdmin):
    """The audit trail: read-only for everyone, never deleted."""

    list_display = [
        "created_at",
        "content_type",
        "object_id",
        "transition",
        "from_state",
        "to_state",
        "actor",
        "visibility",
    ]
    list_filter = ["transition", "visibility", "to_state"]
    search_fields = ["message"]
    date_hierarchy = None

    def get_queryset(self, request):
        return scoped_events(super().get_queryset(request), request.user).select_related(
            "actor", "content_type"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "municipality", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["municipality"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        municipality = request.user.consultant_municipality

        class ConsultantReasonForm(form):
            def clean(self):
                cleaned = super().clean()
                self.instance.municipality = municipality
                code = cleaned.get("code")
                taken = RejectionReason.objects.filter(municipality=municipality, code=code)
                if code and taken.exclude(pk=self.instance.pk).exists():
                    self.add_error(
                        "code", _("Your municipality already has a reason with this code.")
                    )
                return cleaned

        return form if municipality is None else ConsultantReasonForm

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.municipality = request.user.consultant_municipality
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            request.user.is_superuser or request.user.consultant_municipality is not None
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
