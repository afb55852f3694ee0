"""The knowledge bank in the admin: the consultant's categories, tags and material, and the
screening queue of proposed good examples (``ScreeningAdminMixin``, as offers and action
plans). Tenancy as elsewhere: every list is the consultant's municipality's
(``for_consultant``), the municipality is set from the consultant, never chosen, and the
choices of category, tags, offer, association, school and partnership are the municipality's.

The consultant's own material (source "the municipality") is edited freely and published at
once when it is added (``services.publish``: submitted and approved in the audit trail); a
proposal's text is the proposer's, so only the fields that place it in the bank (category,
tags, audience, public, shared) and the text the consultant helps with are editable.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Offer
from municipalities.admin import consultant_form
from partnerships.admin import TenantAdmin
from partnerships.models import Partnership
from portal.admin_display import person
from portal.forms import BOUNDED_RELATIONS
from schools.models import School
from screening.admin_queue import KindFilter, ScreeningAdminMixin, WaitingFilter

from . import files, services
from .forms import AdminPhotoForm
from .models import Category, Item, ItemPhoto, Source, Tag


@admin.register(Category)
class CategoryAdmin(TenantAdmin):
    list_display = ["name", "position", "municipality"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(TenantAdmin):
    list_display = ["name", "municipality"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PrivateFileInput(AdminFileWidget):
    """A template's file and a picture have no public address (``PrivateFiles``): the admin
    names the file and links to the download or picture view, which checks who asks
    (Django's widget asks the storage for the file's URL, and this storage has none)."""

    template_name = "knowledge/widgets/private_file_input.html"

    def is_initial(self, value):
        # The stored file (not one just uploaded with a form that came back with errors).
        return bool(value and getattr(value, "instance", None) and value.name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        row = getattr(value, "instance", None)
        context["widget"]["download_url"] = _private_link(row)
        # A picture is shown small (its stored name means nothing to the consultant).
        context["widget"]["picture"] = row if isinstance(row, ItemPhoto) else None
        return context


def _private_link(row) -> str:
    """A picture's view, or the admin's own link to this row's file: an edit's new file is
    screened, not the published one the site's download gives."""
    if row is None or row.pk is None:
        return ""
    if isinstance(row, ItemPhoto):
        return row.url
    return reverse("admin:knowledge_item_file", args=[row.pk])


class ItemPhotoInline(admin.TabularInline):
    model = ItemPhoto
    extra = 0
    form = AdminPhotoForm
    fields = ["image", "alt_text", "position"]
    formfield_overrides = {models.ImageField: {"widget": PrivateFileInput}}


MATERIAL_FIELDS = [
    "kind",
    "title",
    "summary",
    "body",
    "category",
    "tags",
    "audience",
    "is_public",
    "shared",
    "domain",
    "grade_min",
    "grade_max",
    "file",
    "offer",
    "association",
    "school",
    "partnership",
    "pupils",
    "school_rating",
    "association_rating",
]
STATUS_FIELDS = ["state", "source", "proposed_by_name", "booking", "approved_at"]


@admin.register(Item)
class ItemAdmin(ScreeningAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "source", "state", "is_edit", "waiting", "approved_at"]
    list_filter = ["state", "kind", "source", KindFilter, WaitingFilter]
    search_fields = ["title", "summary"]
    list_select_related = ["category"]
    preview_template = "knowledge/_item_body.html"
    preview_name = "item"
    consultant_editable_fields = (
        "title",
        "summary",
        "body",
        "category",
        "tags",
        "audience",
        "is_public",
        "shared",
        "domain",
    )
    inlines = [ItemPhotoInline]
    formfield_overrides = {**BOUNDED_RELATIONS, models.FileField: {"widget": PrivateFileInput}}
    proposed_by_name = person("proposed_by", Item._meta.get_field("proposed_by").verbose_name)

    def get_fieldsets(self, request, obj=None):
        fields = MATERIAL_FIELDS + ([] if obj is None else STATUS_FIELDS)
        if request.user.is_superuser:
            fields = ["municipality", *fields]
        return [(None, {"fields": fields})]

    def _own_material(self, obj) -> bool:
        return obj is None or obj.source == Source.CONSULTANT

    def get_readonly_fields(self, request, obj=None):
        if self._own_material(obj) and not request.user.is_superuser:
            return STATUS_FIELDS if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *STATUS_FIELDS]

    def get_urls(self):
        file_view = self.admin_site.admin_view(self.file_view)
        return [
            path("<path:object_id>/file/", file_view, name="knowledge_item_file"),
            *super().get_urls(),
        ]

    def file_view(self, request, object_id):
        """The row's own template file, for whoever may view the row here (the consultants
        of its municipality): an edit's new file before it is approved."""
        item = self.get_object(request, object_id)
        if item is None or not self.has_view_permission(request, item):
            raise Http404
        return files.template_response(item, public=False)

    def has_add_permission(self, request):
        user = request.user
        return admin.ModelAdmin.has_add_permission(self, request) and (
            user.is_superuser or user.consultant_municipality is not None
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        return consultant_form(form, request.user.consultant_municipality)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        choices = {
            "category": lambda: Category.objects.for_consultant(user),
            "offer": lambda: Offer.objects.live().for_consultant(user),
            "association": lambda: Association.objects.live().for_consultant(user),
            "school": lambda: School.objects.for_consultant(user),
            "partnership": lambda: Partnership.objects.for_consultant(user),
        }
        if db_field.name in choices:
            kwargs["queryset"] = choices[db_field.name]()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["queryset"] = Tag.objects.for_consultant(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        if not request.user.is_superuser:
            obj.municipality = request.user.consultant_municipality
        obj.source = Source.CONSULTANT
        obj.slug = services.unique_slug(obj.title)
        obj.updated_by = request.user
        obj.save()
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.publish(form.instance, by=request.user)
            self.message_user(request, _("The material is published in the knowledge bank."))
