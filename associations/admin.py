"""Association profiles and offers in the admin: the consultant's screening queue.

The queue, decisions, checklist and notes come from ``screening.admin_queue``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.forms import IdAutocompleteSelect
from screening.admin_queue import KindFilter, ScreeningAdminMixin, WaitingFilter

from .models import Association, Domain, Instructor, Offer


class AssociationDomainFilter(admin.SimpleListFilter):
    title = Offer._meta.get_field("domain").verbose_name
    parameter_name = "domain"

    def lookups(self, request, model_admin):
        return Domain.choices

    def queryset(self, request, queryset):
        if self.value() in Domain.values:
            # JSON list of codes; the quoted code matches one element on SQLite and PostgreSQL.
            return queryset.filter(domains__icontains=f'"{self.value()}"')
        return queryset


class CertificateFilter(admin.SimpleListFilter):
    """Approved offers schools no longer see because a child certificate ran out."""

    title = _("child certificates")
    parameter_name = "certificates"

    def lookups(self, request, model_admin):
        return [("expired", _("Expired: hidden from schools"))]

    def queryset(self, request, queryset):
        if self.value() == "expired":
            return queryset.filter(pk__in=Offer.objects.hidden_by_certificates().values("pk"))
        return queryset


class InstructorInline(admin.TabularInline):
    model = Instructor
    extra = 0
    fields = ["name", "role", "child_certificate_confirmed", "child_certificate_date"]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Association)
class AssociationAdmin(ScreeningAdminMixin, admin.ModelAdmin):
    list_display = ["name", "state", "is_edit", "waiting", "submitted_at", "contact_email"]
    list_filter = ["state", KindFilter, AssociationDomainFilter, WaitingFilter]
    search_fields = ["name", "cvr", "contact_email", "contact_name"]
    consultant_editable_fields = ("description", "website")
    preview_template = "catalog/_association_body.html"
    preview_name = "association"
    summary_fields = (
        "name",
        "description",
        "address",
        "postal_code",
        "town",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
    )
    inlines = [InstructorInline]
    prepopulated_fields = {}

    def preview_context(self, obj) -> dict:
        return {"offers": obj.live.offers.published().order_by("title")}


@admin.register(Offer)
class OfferAdmin(ScreeningAdminMixin, admin.ModelAdmin):
    list_display = ["title", "association", "state", "is_edit", "waiting", "submitted_at"]
    list_filter = ["state", KindFilter, "domain", WaitingFilter, CertificateFilter]
    search_fields = ["title", "summary", "association__name"]
    list_select_related = ["association"]
    consultant_editable_fields = (
        "title",
        "summary",
        "description",
        "learning_goals",
        "faelles_maal_url",
        "what_to_bring",
        "accessibility",
        "weather",
        "transport",
        "instructor_experience",
    )
    preview_template = "catalog/_offer_body.html"
    preview_name = "offer"
    summary_fields = (
        "title",
        "summary",
        "description",
        "domain",
        "grade_min",
        "grade_max",
        "format",
        "location",
        "duration_minutes",
        "pupils_min",
        "pupils_max",
        "price_model",
        "price_amount",
        "learning_goals",
        "what_to_bring",
        "transport",
    )
    autocomplete_fields = ["association"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "association":
            kwargs["queryset"] = Association.objects.for_consultant(request.user)
            kwargs["widget"] = IdAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "instructors":
            kwargs["queryset"] = Instructor.objects.filter(
                association__in=Association.objects.for_consultant(request.user).values("pk")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
