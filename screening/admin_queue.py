"""The consultant's queue in the admin, shared by the Association and Offer admins.

Every queryset goes through ``Model.objects.for_consultant(user)`` (``get_queryset``), so
the list, search, filters, autocomplete, actions and change view all see one municipality.
Decisions go through ``screening.services``; nothing here sets ``state``.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from portal.admin_display import person
from portal.forms import BOUNDED_RELATIONS

from . import services
from .forms import ChecklistForm, DecisionForm, NoteForm
from .models import RejectionReason
from .workflow import WAITING_STATES, Transition, TransitionNotAllowed, allowed_transitions

#: What the consultant is told after a decision on one item: the result, in plain words.
DONE_ONE = {
    Transition.START_REVIEW: _("You have started the review of “%(item)s”."),
    Transition.REQUEST_CHANGES: _("Changes to “%(item)s” have been requested."),
    Transition.APPROVE: _("“%(item)s” is approved."),
    Transition.REJECT: _("“%(item)s” is rejected."),
    Transition.SUSPEND: _("“%(item)s” is suspended."),
    Transition.REINSTATE: _("“%(item)s” is reinstated."),
}

#: The same after a bulk action, with the number of items (plural forms per language).
DONE_MANY = {
    Transition.START_REVIEW: ngettext_lazy(
        "You have started the review of %(count)d item.",
        "You have started the review of %(count)d items.",
        "count",
    ),
    Transition.APPROVE: ngettext_lazy(
        "%(count)d item is approved.", "%(count)d items are approved.", "count"
    ),
    Transition.SUSPEND: ngettext_lazy(
        "%(count)d item is suspended.", "%(count)d items are suspended.", "count"
    ),
    Transition.REINSTATE: ngettext_lazy(
        "%(count)d item is reinstated.", "%(count)d items are reinstated.", "count"
    ),
}


def done_message(action: str, item) -> str:
    return str(DONE_ONE[action]) % {"item": item}


def done_many_message(action: str, count: int) -> str:
    return DONE_MANY[action] % {"count": count}


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("new", _("New submission")), ("edit", _("Edit of an approved item"))]

    def queryset(self, request, queryset):
        if self.value() == "new":
            return queryset.filter(revision_of__isnull=True)
        if self.value() == "edit":
            return queryset.filter(revision_of__isnull=False)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    title = _("waiting time")
    parameter_name = "waiting"
    BUCKETS = {"lt3": (0, 3), "3to7": (3, 7), "7to14": (7, 14), "gt14": (14, None)}

    def lookups(self, request, model_admin):
        return [
            ("lt3", _("Less than 3 days")),
            ("3to7", _("3 to 7 days")),
            ("7to14", _("7 to 14 days")),
            ("gt14", _("More than 14 days")),
        ]

    def queryset(self, request, queryset):
        bucket = self.BUCKETS.get(self.value())
        if not bucket:
            return queryset
        now = timezone.now()
        low, high = bucket
        qs = queryset.filter(state__in=WAITING_STATES, submitted_at__lte=now - timedelta(days=low))
        if high is not None:
            qs = qs.filter(submitted_at__gt=now - timedelta(days=high))
        return qs


def waiting_since(obj):
    if obj.state not in WAITING_STATES or not obj.submitted_at:
        return "–"
    days = (timezone.now() - obj.submitted_at).days
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


class ScreeningAdminMixin:
    """Queue, decisions, checklist and notes for a ``Screenable`` model's admin."""

    change_form_template = "admin/screening/change_form.html"
    #: Text fields a consultant may edit to help the association; the rest is read-only.
    consultant_editable_fields: tuple[str, ...] = ()
    #: The catalog partial that shows the item as schools see it, and its context name.
    preview_template = ""
    preview_name = "object"
    preview_heading = _("As schools will see it")
    exclude = ["updated_by"]  # shown as ``updated_by_name``; set by the save
    formfield_overrides = BOUNDED_RELATIONS
    actions = [
        "approve_selected",
        "start_review_selected",
        "request_changes_selected",
        "reject_selected",
        "suspend_selected",
        "reinstate_selected",
    ]

    def view_on_site(self, obj):
        """The admin's "View on site" for an item the site shows; a draft's or a withdrawn
        item's page answers 404, so it gets no link."""
        if not hasattr(obj, "get_absolute_url"):
            return None
        shown = type(obj).objects.published().filter(pk=obj.live.pk).exists()
        return obj.get_absolute_url() if shown else None

    # --- scoping ---------------------------------------------------------------------
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        mine = self.model.objects.for_consultant(request.user).values("pk")
        return qs.filter(pk__in=mine)

    def get_ordering(self, request):
        """Waiting items first, the oldest submission first."""
        waiting = Case(
            When(state__in=list(WAITING_STATES), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [waiting.asc(), F("submitted_at").asc(nulls_last=True), "pk"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        always = [
            "state",
            "revision_of",
            "submitted_at",
            "decided_at",
            "approved_at",
            "approval_expires_at",
            "created_at",
            "updated_at",
            "updated_by_name",
        ]
        if request.user.is_superuser:
            return always
        editable = set(self.consultant_editable_fields)
        fields = [f.name for f in self.model._meta.get_fields() if f.concrete or f.many_to_many]
        return list(
            dict.fromkeys(
                always
                + [
                    name
                    for name in fields
                    if name not in editable
                    and name not in ("id", "updated_by")
                    and name in self._form_field_names()
                ]
            )
        )

    def _form_field_names(self) -> set[str]:
        return {
            f.name
            for f in self.model._meta.get_fields()
            if (f.concrete or f.many_to_many) and getattr(f, "editable", False)
        }

    updated_by_name = person("updated_by", _("updated by"))

    @admin.display(description=_("waiting"))
    def waiting(self, obj):
        return waiting_since(obj)

    @admin.display(description=_("edit of"), boolean=True)
    def is_edit(self, obj):
        return obj.is_revision

    # --- consultant edits are recorded ------------------------------------------------
    def save_model(self, request, obj, form, change):
        changes = []
        if change:
            for name in form.changed_data:
                label = form.fields[name].label or name
                changes.append((name, label, form.initial.get(name, ""), form.cleaned_data[name]))
        super().save_model(request, obj, form, change)
        if changes:
            services.record_edit(obj, changes, by=request.user)

    # --- the change page ---------------------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/decide/<str:action>/",
                wrap(self.decision_view),
                name="{}_{}_decide".format(*info),
            ),
            path("<path:object_id>/note/", wrap(self.note_view), name="{}_{}_note".format(*info)),
            path(
                "<path:object_id>/checklist/",
                wrap(self.checklist_view),
                name="{}_{}_checklist".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    def _get_for_change(self, request, object_id):
        """The object if this consultant may act on it; 404 for other municipalities."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def preview(self, request, obj) -> str:
        context = {
            self.preview_name: obj,
            "object": obj,
            "preview": True,
            **self.preview_context(obj),
        }
        try:
            get_template(self.preview_template)
        except TemplateDoesNotExist:
            return render_to_string(
                "admin/screening/_summary.html",
                {
                    "object": obj,
                    "fields": [
                        (f.verbose_name, f.value_from_object(obj))
                        for f in obj._meta.concrete_fields
                        if f.name in self.summary_fields
                    ],
                },
            )
        return render_to_string(self.preview_template, context, request=request)

    summary_fields: tuple[str, ...] = ()

    def preview_context(self, obj) -> dict:
        """Extra context the catalog partial needs (e.g. an association's offers)."""
        return {}

    def changelist_view(self, request, extra_context=None):
        """The queue: its own title, and the whole width of a 1366 px screen for its columns
        (the admin's navigation column is left out here; "Home" in the breadcrumbs leads on)."""
        extra_context = {
            "title": _("Screening queue: %(items)s")
            % {"items": self.model._meta.verbose_name_plural},
            "is_nav_sidebar_enabled": False,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None:
            actions = [
                (t, Transition(t).label, self._url("decide", obj.pk, t))
                for t in allowed_transitions(obj.state)
                if t in services.CONSULTANT_ACTIONS
            ]
            review = services.current_review(obj)
            checks = obj.automatic_checks()
            failures = services.checklist_failures(obj, checks)
            extra_context.update(
                {
                    "screening_obj": obj,
                    "screening_actions": actions,
                    "screening_preview": self.preview(request, obj),
                    "screening_preview_heading": self.preview_heading,
                    "screening_diff": services.changed_fields(obj) if obj.is_revision else None,
                    "screening_resubmission": services.resubmission(obj),
                    "screening_history": services.history(obj, include_internal=True),
                    "screening_checklist": ChecklistForm(instance=review, kind=type(obj)),
                    "screening_checklist_passed": not failures,
                    "screening_checklist_failures": failures,
                    "screening_checks": checks,
                    "screening_note_form": NoteForm(owner=obj.screening_owner().name),
                    "screening_note_url": self._url("note", obj.pk),
                    "screening_checklist_url": self._url("checklist", obj.pk),
                    "screening_pending_edits": obj.revisions.all() if not obj.is_revision else [],
                    "screening_can_act": self.has_change_permission(request, obj),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def decision_view(self, request, object_id, action):
        obj = self._get_for_change(request, object_id)
        if action not in services.CONSULTANT_ACTIONS:
            raise Http404
        change_url = self._url("change", obj.pk)
        reasons = RejectionReason.objects.active().for_item(obj)
        if request.user.is_superuser:
            reasons = reasons.filter(municipality__in=obj.screening_municipalities())
        else:
            reasons = reasons.for_municipality(request.user.consultant_municipality)
        data = request.POST if request.method == "POST" else None
        form = DecisionForm(data, action=action, reasons=reasons, owner=obj.screening_owner().name)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.decide(
                    obj,
                    action,
                    by=request.user,
                    message=form.cleaned_data.get("message", ""),
                    reason=form.cleaned_data.get("reason"),
                )
            except (TransitionNotAllowed, services.DecisionError) as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(change_url)
            self.message_user(
                request,
                done_message(action, result),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._url("change", result.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": Transition(action).label,
            "action_label": Transition(action).label,
            "form": form,
            "change_url": change_url,
            "allowed": action in allowed_transitions(obj.state),
            # Approval stays the consultant's call, but not without seeing the checklist's state.
            "checklist_failures": (
                services.checklist_failures(obj) if action == Transition.APPROVE else []
            ),
            "reasons_url": reverse("admin:screening_rejectionreason_changelist"),
        }
        return TemplateResponse(request, "admin/screening/decision.html", context)

    def note_view(self, request, object_id):
        obj = self._get_for_change(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._url("change", obj.pk))
        form = NoteForm(request.POST, owner=obj.screening_owner().name)
        if form.is_valid():
            services.add_note(
                obj,
                form.cleaned_data["message"],
                by=request.user,
                internal=form.cleaned_data["visibility"] == NoteForm.INTERNAL,
            )
            self.message_user(request, _("The note was added."), messages.SUCCESS)
        else:
            self.message_user(request, _("Write the note."), messages.ERROR)
        return HttpResponseRedirect(self._url("change", obj.pk))

    def checklist_view(self, request, object_id):
        obj = self._get_for_change(request, object_id)
        if request.method == "POST":
            form = ChecklistForm(request.POST, kind=type(obj))
            if form.is_valid():
                services.save_checklist(obj, by=request.user, checks=form.cleaned_data)
                self.message_user(request, _("The checklist was saved."), messages.SUCCESS)
        return HttpResponseRedirect(self._url("change", obj.pk))

    # --- actions -------------------------------------------------------------------------
    def _bulk(self, request, queryset, action: str, *, needs_checklist: bool = False):
        done, skipped = 0, []
        for obj in queryset:
            failures = services.checklist_failures(obj) if needs_checklist else []
            if needs_checklist and not obj.MANUAL_CHECKS:
                # No box to tick (a good example): approved only by someone who opened it.
                failures = [str(_("open it to approve it"))]
            if failures:
                skipped.append(f"{obj} ({'; '.join(failures)})")
                continue
            try:
                services.decide(obj, action, by=request.user)
            except (TransitionNotAllowed, services.DecisionError):
                skipped.append(str(obj))
                continue
            done += 1
        if done:
            self.message_user(
                request,
                done_many_message(action, done),
                messages.SUCCESS,
            )
        if skipped:
            reason = (
                _("the checklist has not passed or the state does not allow it")
                if needs_checklist
                else _("the state does not allow it")
            )
            self.message_user(
                request,
                _("Skipped (%(reason)s): %(items)s")
                % {"reason": reason, "items": ", ".join(skipped)},
                messages.WARNING,
            )

    @admin.action(
        description=_("Approve the selected (only those whose checklist passed)"),
        permissions=["change"],
    )
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, Transition.APPROVE, needs_checklist=True)

    @admin.action(description=_("Start review of the selected"), permissions=["change"])
    def start_review_selected(self, request, queryset):
        self._bulk(request, queryset, Transition.START_REVIEW)

    @admin.action(
        description=_("Suspend the selected (off the portal at once)"), permissions=["change"]
    )
    def suspend_selected(self, request, queryset):
        self._bulk(request, queryset, Transition.SUSPEND)

    @admin.action(description=_("Reinstate the selected"), permissions=["change"])
    def reinstate_selected(self, request, queryset):
        self._bulk(request, queryset, Transition.REINSTATE)

    def _one_with_form(self, request, queryset, action: str):
        """Request changes and reject need a message: open the form for one item."""
        if queryset.count() != 1:
            self.message_user(
                request,
                _("Choose exactly one item: %(action)s needs a message.")
                % {"action": Transition(action).label},
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(self._url("decide", queryset.get().pk, action))

    @admin.action(
        description=_("Request changes (one item, with a message)"), permissions=["change"]
    )
    def request_changes_selected(self, request, queryset):
        return self._one_with_form(request, queryset, Transition.REQUEST_CHANGES)

    @admin.action(description=_("Reject (one item, with a reason)"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._one_with_form(request, queryset, Transition.REJECT)
