from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Consultant, Municipality
from portal.admin_display import person

from . import consultants
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
    fields = readonly_fields = [
        "created_at",
        "content_type",
        "object_id",
        "revision_id",
        "transition",
        "from_state",
        "to_state",
        "actor_name",
        "visibility",
        "message",
        "data",
    ]

    actor_name = person("actor", ScreeningEvent._meta.get_field("actor").verbose_name)

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


class RejectionReasonForm(forms.ModelForm):
    def clean_code(self):
        # "a1" beside "A1" would be two reasons that look like one in the reject form.
        return self.cleaned_data["code"].strip().upper()


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    form = RejectionReasonForm
    list_display = ["code", "text", "applies_to", "municipality", "is_active"]
    list_filter = ["is_active", "applies_to"]
    search_fields = ["code", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["municipality"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "help_texts",
            {
                "code": _("A short code, unique in the municipality, e.g. A7."),
                "text": _(
                    "The owner of the item reads this text in the e-mail about the rejection."
                ),
                "applies_to": _("Offered only when rejecting this kind of item."),
                "is_active": _("Only active reasons are offered when rejecting."),
            },
        )
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


class ConsultantAddForm(forms.ModelForm):
    """One step: the e-mail address links an existing user or creates one (``consultants``)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "A user with this address is linked; otherwise a user is created and gets an "
            "e-mail with a link to choose a password."
        ),
    )
    full_name = forms.CharField(
        label=_("Name"), max_length=150, required=False, help_text=_("Needed for a new user.")
    )

    class Meta:
        model = Consultant
        fields = ["municipality", "title"]

    def clean(self):
        cleaned = super().clean()
        email, municipality = cleaned.get("email"), cleaned.get("municipality")
        if not email or not municipality:
            return cleaned
        problem = consultants.appointment_problem(email, municipality)
        if problem:
            self.add_error("email", problem)
        elif consultants.existing_user(email) is None and not cleaned.get("full_name", "").strip():
            self.add_error("full_name", _("Give the name of the new user."))
        return cleaned


@admin.register(Consultant)
class ConsultantAdmin(admin.ModelAdmin):
    """Operators appoint consultants here; a consultant sees only their municipality's."""

    list_display = ["user_name", "user_email", "municipality", "title", "is_active"]
    list_filter = ["municipality", "is_active"]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__email", "user__full_name"]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "municipality", "title"]})]
    fieldsets = [
        (
            None,
            {"fields": ["user_email", "user_name", "municipality", "title", "is_active"]},
        ),
        (_("E-mail"), {"fields": ["submission_emails"]}),
    ]
    readonly_fields = ["user_email", "user_name"]

    @admin.display(description=_("e-mail address"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.display(description=_("name"), ordering="user__full_name")
    def user_name(self, obj):
        return obj.user.full_name

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ConsultantAddForm
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality" and not request.user.is_superuser:
            mine = getattr(request.user.consultant_municipality, "pk", None)
            kwargs["queryset"] = Municipality.objects.filter(pk=mine)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            consultants.follow_post(obj)
            return None
        data = form.cleaned_data
        appointed = consultants.appoint(
            email=data["email"],
            full_name=data.get("full_name", ""),
            municipality=data["municipality"],
            title=data.get("title", ""),
        )
        # The admin's messages and log name the post the service made.
        obj.pk = appointed.pk
        obj.refresh_from_db()
        return None
