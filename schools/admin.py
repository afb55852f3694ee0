from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User

from . import staff
from .models import School, SchoolEvent, SchoolMembership


@admin.action(description=_("Approve the selected staff"), permissions=["change"])
def approve_memberships(modeladmin, request, queryset):
    """School staff waiting for approval (the SchoolMembership admin's action)."""
    done = 0
    for membership in queryset.filter(is_approved=False):
        try:
            staff.approve(membership, by=request.user)
        except staff.MembershipError as error:
            modeladmin.message_user(request, f"{membership}: {error}", messages.WARNING)
            continue
        done += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d person approved.", "%(count)d people approved.", done)
        % {"count": done},
        messages.SUCCESS,
    )


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "institution_number", "town", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "town", "institution_number"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)

    def get_list_filter(self, request):
        return ["municipality", "is_active"] if request.user.is_superuser else ["is_active"]


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(admin.ModelAdmin):
    """Staff accounts waiting for approval; a consultant sees their municipality's schools."""

    list_display = ["user", "user_email", "school", "role", "is_approved", "created_at"]
    list_filter = ["is_approved", "role", ("school", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "school__name"]
    list_select_related = ["user", "school"]
    ordering = ["is_approved", "created_at"]
    actions = [approve_memberships]

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["approved_at", "approved_by", "created_at"]
        return ["user", "school", "is_approved", "approved_at", "approved_by", "created_at"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=User._meta.get_field("email").verbose_name, ordering="user__email")
    def user_email(self, obj):
        return obj.user.email


@admin.register(SchoolEvent)
class SchoolEventAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "starts_on", "ends_on"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(school__municipality=request.user.consultant_municipality)
