from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from municipalities.models import Municipality

from . import services
from .models import Notification, NotificationPreference, ReminderRule


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Operators: what was sent, what failed and why; failed rows can be re-queued."""

    list_display = ["created_at", "kind", "to_email", "state", "attempts", "sent_at", "error"]
    list_filter = ["state", "kind"]
    search_fields = ["to_email", "key", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["requeue"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def error(self, obj):
        return obj.last_error[:120]

    @admin.action(description=_("Send the selected failed notifications again"))
    def requeue(self, request, queryset):
        ids = services.requeue(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d notification was queued again.",
                "%(count)d notifications were queued again.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )

    def get_actions(self, request):
        # The action changes rows although the rows themselves are read-only in the admin.
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("requeue", None)
        return actions


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled", "updated_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    """Consultants edit their own municipality's reminder rules; operators see all."""

    list_display = ["municipality", "kind", "days", "anchor", "recipients", "is_active"]
    list_filter = ["kind", "anchor", "is_active"]
    list_editable = ["is_active"]

    def get_queryset(self, request):
        return ReminderRule.objects.for_consultant(request.user).select_related("municipality")

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return ["municipality", *self.list_filter]
        return self.list_filter

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality" and not request.user.is_superuser:
            kwargs["queryset"] = Municipality.objects.filter(
                pk=getattr(request.user.consultant_municipality, "pk", None)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _allowed(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        # Also asked for anonymous visitors (the admin log-in page builds its app list).
        municipality = getattr(request.user, "consultant_municipality", None)
        if municipality is None:
            return False
        return obj is None or obj.municipality_id == municipality.pk

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)
