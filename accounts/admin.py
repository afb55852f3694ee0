from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from portal.forms import BOUNDED_RELATIONS

from .models import User

# Django's group admin, with the many-to-many fields that refuse impossible ids (as below).
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    formfield_overrides = BOUNDED_RELATIONS


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    formfield_overrides = BOUNDED_RELATIONS  # groups and permissions: no id past 64 bits
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login", "last_seen_at", "email_confirmed_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (
            _("Important dates"),
            {"fields": ("last_login", "last_seen_at", "date_joined", "email_confirmed_at")},
        ),
    )

    def get_queryset(self, request):
        # Users are an operator's business; anyone else with access sees only themselves.
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk=request.user.pk)

    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
