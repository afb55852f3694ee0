"""Partnerships in the admin: a consultant creates and follows their municipality's.

Tenancy as elsewhere (``screening/admin.py``): the lists are ``for_consultant(user)``, the
choices of partner, schools and contact person are the consultant's municipality's, and the
municipality is set from the consultant, never chosen. The state changes only through
``services.transition`` (the actions), which writes the audit trail shown on the page.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Offer
from municipalities.admin import TenantAdmin
from portal.admin_display import person
from portal.forms import YEARS_AHEAD, BoundedDateField
from schools.models import School
from screening.admin_queue import KindFilter, ScreeningAdminMixin, WaitingFilter
from screening.workflow import TransitionNotAllowed

from . import services
from .models import (
    MAX_YEARS,
    ActionPlan,
    Activity,
    FocusArea,
    Goal,
    LeisureInstitution,
    Partnership,
    PartnershipState,
    YearlyFigures,
)


class PartnershipForm(forms.ModelForm):
    # A partnership may be registered after it began (Copenhagen's run since 2012).
    starts_on = BoundedDateField(label=_("starts"), years_back=6)
    # Up to six years (MAX_YEARS) from a start up to YEARS_AHEAD years away.
    ends_on = BoundedDateField(label=_("ends"), years_back=6, years_ahead=YEARS_AHEAD + MAX_YEARS)

    class Meta:
        model = Partnership
        fields = [
            "municipality",
            "association",
            "institution",
            "schools",
            "starts_on",
            "ends_on",
            "contact",
            "yearly_grant",
            "resource_name",
            "resource_email",
            "resource_phone",
        ]


@admin.register(LeisureInstitution)
class LeisureInstitutionAdmin(TenantAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]


def _consultant_users(user):
    users = get_user_model().objects.filter(consultant__is_active=True, is_active=True)
    if user.is_superuser:
        return users
    return users.filter(consultant__municipality=user.consultant_municipality)


@admin.register(Partnership)
class PartnershipAdmin(TenantAdmin):
    form = PartnershipForm
    list_display = ["__str__", "state", "starts_on", "ends_on", "contact", "yearly_grant"]
    list_filter = ["state"]
    search_fields = ["association__name", "institution__name", "resource_name"]
    list_select_related = ["association", "institution", "contact"]
    readonly_fields = ["state", "audit_trail", "plans", "meetings", "figures"]
    filter_horizontal = ["schools"]
    actions = ["activate", "end"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        choices = {
            "association": lambda: Association.objects.live().for_consultant(user),
            "institution": lambda: LeisureInstitution.objects.for_consultant(user),
            "contact": lambda: _consultant_users(user),
        }
        if db_field.name in choices:
            kwargs["queryset"] = choices[db_field.name]()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "schools":
            kwargs["queryset"] = School.objects.for_consultant(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("history"))
    def audit_trail(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        rows = [
            (
                e.created_at.strftime("%Y-%m-%d %H:%M"),
                services.action_label(e.transition),
                e.actor or "",
            )
            for e in services.audit_trail(obj)
        ]
        return format_html_join("\n", "<div>{} · {} · {}</div>", rows) or "-"

    @admin.display(description=_("action plans"))
    def plans(self, obj):
        """The partner's action plans, each a link to its page in the screening queue."""
        if obj is None or obj.pk is None:
            return "-"
        rows = [
            (reverse("admin:partnerships_actionplan_change", args=[p.pk]), p, p.get_state_display())
            for p in obj.action_plans.live()
        ]
        links = format_html_join("\n", '<div><a href="{}">{}</a> · {}</div>', rows)
        printable = [
            (
                reverse("partnerships:plan_print", args=[p.pk]),
                _("Printable plan"),
                reverse("partnerships:plan_pdf", args=[p.pk]),
                _("Download as PDF"),
            )
            for p in obj.action_plans.live().filter(state="approved")
        ]
        paper = format_html_join(
            "\n", '<div><a href="{}">{}</a> · <a href="{}">{}</a></div>', printable
        )
        write = ""
        if obj.institution_id and obj.state != "ended" and not services.has_open_plan(obj):
            url = reverse("admin:partnerships_actionplan_add") + f"?partnership={obj.pk}"
            write = format_html('<div><a href="{}">{}</a></div>', url, _("Write the action plan"))
        return format_html("{}{}{}", links, paper, write) if (links or paper or write) else "-"

    @admin.display(description=_("status meetings"))
    def meetings(self, obj):
        """The status meetings, each a link to its page (agenda, minutes), and the way to
        schedule the next one."""
        if obj is None or obj.pk is None:
            return "-"
        rows = [
            (
                reverse("partnerships:meeting", args=[m.pk]),
                m.get_kind_display(),
                timezone.localtime(m.starts_at).date(),
                m.get_state_display(),
            )
            for m in obj.status_meetings.all()
        ]
        if obj.state != PartnershipState.ENDED:
            rows.append(
                (
                    reverse("partnerships:meeting_new", args=[obj.pk]),
                    _("Schedule a status meeting"),
                    "",
                    "",
                )
            )
        return format_html_join("\n", '<div><a href="{}">{}</a> {} {}</div>', rows)

    @admin.display(description=_("yearly figures"))
    def figures(self, obj):
        """The partner's yearly figures (under 25 / under 18 / volunteers) and a link to
        every partner's trend and the municipality's totals."""
        overview = reverse("partnerships:figures_overview")
        if obj is None or obj.pk is None:
            return format_html('<a href="{}">{}</a>', overview, _("Every partner's figures"))
        rows = [
            (f.year, f.members_under_25, f.members_under_18, f.volunteers)
            for f in obj.yearly_figures.order_by("year")
        ]
        lines = format_html_join("\n", "<div>{}: {} / {} / {}</div>", rows)
        return format_html(
            '{}<div class="help">{}</div><a href="{}">{}</a>',
            lines or "-",
            _("Members under 25 / under 18 / volunteers and trainers"),
            overview,
            _("Every partner's figures"),
        )

    def _act(self, request, queryset, action: str):
        done = 0
        for partnership in queryset:
            try:
                services.transition(partnership, action, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{partnership}: {error.messages[0]}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d partnership(s) changed.") % {"n": done})

    @admin.action(description=_("Activate the selected partnerships"), permissions=["change"])
    def activate(self, request, queryset):
        self._act(request, queryset, "activate")

    @admin.action(description=_("End the selected partnerships"), permissions=["change"])
    def end(self, request, queryset):
        self._act(request, queryset, "end")


@admin.register(FocusArea)
class FocusAreaAdmin(TenantAdmin):
    """The municipality's own list: rename, reorder, add (the defaults are only a start).
    Like every consultant page, no deleting: an operator removes an area."""

    list_display = ["name", "kind", "position", "municipality"]
    list_editable = ["position"]
    list_filter = ["kind"]
    search_fields = ["name"]


def _writes_plan(request, plan) -> bool:
    """May this user write the plan's text here: an operator, or a consultant (of the plan's
    municipality: the admin's lists are tenant-scoped) writing an institution's plan."""
    if request.user.is_superuser:
        return True
    return (
        plan is not None
        and request.user.consultant_municipality is not None
        and services.consultant_writes(plan)
    )


class _PlanPartFormSet(forms.BaseInlineFormSet):
    """A goal or activity sits under one of the focus areas chosen for the plan, as in the
    partner's own form: the areas ticked on the same page, so a goal is never hidden under
    an area the plan does not have."""

    #: Whether the plan's focus areas are ticked on this page (set by ``get_formset``).
    areas_on_page = False

    def clean(self):
        super().clean()
        if not self.areas_on_page:  # read-only: the plan's areas are not sent
            return
        chosen = set(self.data.getlist("focus_areas"))
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            area = data.get("focus_area")
            if area is not None and not data.get("DELETE") and str(area.pk) not in chosen:
                form.add_error(
                    "focus_area",
                    _("Tick this focus area for the plan above, or choose one of its areas."),
                )


class _ReadOnlyForConsultants(admin.TabularInline):
    """Goals and activities: read-only for consultants screening a partner's plan; written
    by the consultant for an institution's plan (``services.consultant_writes``)."""

    extra = 0
    formset = _PlanPartFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.areas_on_page = _writes_plan(request, obj)
        return formset

    def has_add_permission(self, request, obj=None):
        return _writes_plan(request, obj)

    def has_change_permission(self, request, obj=None):
        return _writes_plan(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _writes_plan(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.name == "focus_area":
            kwargs["queryset"] = FocusArea.objects.for_consultant(request.user).filter(
                kind=FocusArea.Kind.PARTNERSHIP
            )
        if not request.user.is_superuser and db_field.name == "offer":
            kwargs["queryset"] = Offer.objects.none()  # an institution has no offers
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class GoalInline(_ReadOnlyForConsultants):
    model = Goal
    fields = ["focus_area", "description", "indicator", "target"]


class ActivityInline(_ReadOnlyForConsultants):
    model = Activity
    fields = ["focus_area", "what", "who", "when", "offer"]


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["partnership", "title", "focus_areas"]
        widgets = {"focus_areas": forms.CheckboxSelectMultiple}

    def clean(self):
        data = super().clean()
        partnership = data.get("partnership")
        if self.instance.pk is None and partnership and services.has_open_plan(partnership):
            raise ValidationError(
                _("The partnership has an action plan in the making: open it in the list.")
            )
        return data


@admin.register(ActionPlan)
class ActionPlanAdmin(ScreeningAdminMixin, admin.ModelAdmin):
    """Action plans in the consultant's screening queue, like offers and profiles. A
    municipal leisure institution's plan is written here by the consultant (add, then goals
    and activities, then the action "Submit"), and screened like the others."""

    list_display = ["title", "partnership", "state", "is_edit", "waiting", "submitted_at"]
    list_filter = ["state", KindFilter, WaitingFilter]
    search_fields = ["title", "partnership__association__name", "partnership__institution__name"]
    list_select_related = ["partnership__association", "partnership__institution"]
    preview_template = "partnerships/_plan_body.html"
    preview_name = "plan"
    preview_heading = _("As the school and the partner will see it")
    summary_fields = ("title",)
    inlines = [GoalInline, ActivityInline]

    form = ActionPlanForm
    actions = [*ScreeningAdminMixin.actions, "submit_institution_plans", "edit_institution_plans"]

    def has_add_permission(self, request):
        return request.user.is_superuser or request.user.consultant_municipality is not None

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partnership", "title", "focus_areas"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = super().get_readonly_fields(request, obj)
        if _writes_plan(request, obj):
            return [f for f in fields if f not in ("title", "focus_areas")]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "partnership":
            kwargs["queryset"] = (
                Partnership.objects.for_consultant(request.user)
                .filter(institution__isnull=False)
                .exclude(state=PartnershipState.ENDED)
                .select_related("institution")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "focus_areas":
            kwargs["queryset"] = FocusArea.objects.for_consultant(request.user).filter(
                kind=FocusArea.Kind.PARTNERSHIP
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.slug = services.plan_slug(obj.partnership)
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def _each_institution_plan(self, request, queryset, act) -> list:
        """``act`` on each selected plan of an institution; what it returned for those it
        could act on (the others are reported with the reason)."""
        done = []
        for plan in queryset:
            if plan.live.partnership.institution_id is None:
                self.message_user(
                    request,
                    _("%(plan)s: the association writes its own plan.") % {"plan": plan},
                    messages.ERROR,
                )
                continue
            try:
                done.append(act(plan))
            except TransitionNotAllowed as error:
                self.message_user(request, f"{plan}: {error}", messages.ERROR)
        return done

    @admin.action(
        description=_("Submit the selected institution plans for screening"),
        permissions=["change"],
    )
    def submit_institution_plans(self, request, queryset):
        done = self._each_institution_plan(
            request, queryset, lambda plan: services.submit_plan(plan, by=request.user)
        )
        if done:
            self.message_user(
                request, _("%(n)d action plan(s) submitted for screening.") % {"n": len(done)}
            )

    @admin.action(
        description=_("Start an edit of the selected approved institution plans"),
        permissions=["change"],
    )
    def edit_institution_plans(self, request, queryset):
        # The edit begun now or, the action run again, the one under way: either way the
        # consultant's next step is to open it.
        for edit in self._each_institution_plan(
            request, queryset, lambda plan: services.edit_plan(plan, by=request.user)
        ):
            self.message_user(
                request,
                format_html(
                    '{}: {} <a href="{}">{}</a>',
                    edit.revision_of,
                    _("its edit is open."),
                    reverse("admin:partnerships_actionplan_change", args=[edit.pk]),
                    _("Open the edit"),
                ),
            )


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(admin.ModelAdmin):
    """The partners' yearly figures of the consultant's municipality, read-only: the partner
    reports and corrects them (``figures.report``); the trend and totals are on
    /partnerships/figures/."""

    list_display = [
        "partnership",
        "year",
        "members_under_18",
        "members_under_25",
        "volunteers",
        "members_target_areas",
        "updated_at",
    ]
    list_filter = ["year"]
    search_fields = ["partnership__association__name"]
    list_select_related = ["partnership__association", "partnership__institution"]
    exclude = ["reported_by"]  # set by the report; shown by name
    readonly_fields = ["reported_by_name", "reported_at", "updated_at"]
    reported_by_name = person(
        "reported_by", YearlyFigures._meta.get_field("reported_by").verbose_name
    )

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Network meetings and events have their own admin module.
from .network import admin as network_admin  # noqa: E402, F401
