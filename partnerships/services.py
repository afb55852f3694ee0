"""Changing a partnership's state: the only code that does (row lock, allowed transitions,
the audit record in the screening trail, the partner's e-mail)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.services import absolute_url, notify
from portal.submitkeys import sent_before
from screening import services as screening_services
from screening.services import history, record
from screening.workflow import EDITABLE_STATES, WAITING_STATES, ScreeningState, Transition

from .models import ActionPlan, Activity, FocusArea, Goal, Partnership, PartnershipState

S = PartnershipState

#: action: (states it starts from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "activate": ((S.PROPOSED,), S.ACTIVE),
    "end": ((S.PROPOSED, S.ACTIVE), S.ENDED),  # a proposal not taken up ends too
}

ACTION_LABELS = {"activate": _("Activated"), "end": _("Ended")}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def allowed_actions(partnership: Partnership) -> list[str]:
    return [a for a, (sources, _target) in TRANSITIONS.items() if partnership.state in sources]


@transaction.atomic
def transition(partnership: Partnership, action: str, *, by=None, message: str = "") -> Partnership:
    """Move the partnership along ``TRANSITIONS`` and write it in the audit trail."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."), code="unknown_action")
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    sources, target = TRANSITIONS[action]
    if locked.state not in sources:
        raise ValidationError(
            _("A partnership that is %(state)s cannot be changed this way."),
            code="not_allowed",
            params={"state": locked.get_state_display().lower()},
        )
    before = locked.state
    locked.state = target
    locked.save(update_fields=["state", "updated_at"])
    record(
        locked,
        transition=action,
        from_state=before,
        to_state=target,
        actor=by,
        message=message,
        internal=True,
    )
    _notify_partner(locked, action)
    partnership.state, partnership.updated_at = locked.state, locked.updated_at
    return partnership


#: The e-mail kind of each change of state (registered in ``PartnershipsConfig.ready``).
STATE_KINDS = {"activate": "partnership.activated", "end": "partnership.ended"}


def partner_recipients(partnership: Partnership) -> list[tuple[str, object]]:
    """Who hears about the partnership: the resource person and the partner's members,
    each address once, as (e-mail, user or None)."""
    found: dict[str, tuple[str, object]] = {}
    found[partnership.resource_email.lower()] = (partnership.resource_email, None)
    if partnership.association_id:
        for m in partnership.association.memberships.select_related("user"):
            if m.user.is_active and m.user.email:
                found[m.user.email.lower()] = (m.user.email, m.user)
    return list(found.values())


def _notify_partner(partnership: Partnership, action: str) -> None:
    """One e-mail per recipient and change of state (a state is entered once, so the key
    makes it exactly once), written in each recipient's language by the worker."""
    p = partnership
    url = reverse("home")
    if p.association_id:
        url = reverse("partnerships:association", args=[p.association.slug])
    for email, user in partner_recipients(p):
        notify(
            kind=STATE_KINDS[action],
            key=f"{STATE_KINDS[action]}:partnership={p.pk}:to={email.lower()}",
            to_email=email,
            user=user,
            template="partnership_state",
            context={
                "recipient_name": user.full_name if user else p.resource_name,
                "action": action,
                "partner_name": str(p.partner),
                "municipality_name": p.municipality.name,
                "starts_on": p.starts_on,
                "ends_on": p.ends_on,
                "contact_name": (p.contact.full_name or p.contact.email) if p.contact else "",
                "contact_email": p.contact.email if p.contact else "",
                "partner_writes_plan": p.association_id is not None,
                "action_url": absolute_url(url),
            },
        )


def audit_trail(partnership: Partnership):
    """Every change of state, oldest first (the screening trail, internal events included)."""
    return history(partnership, include_internal=True)


# --- Action plans: written by the partner, screened by the existing workflow -------------


def create_plan(partnership: Partnership, *, title: str, focus_areas, by=None) -> ActionPlan:
    """A draft action plan of the partnership over the chosen focus areas (the
    municipality's partnership focus areas only), or the plan already in the making."""
    allowed = FocusArea.objects.filter(
        municipality=partnership.municipality, kind=FocusArea.Kind.PARTNERSHIP
    )
    open_plan = partnership.action_plans.live().filter(state__in=OPEN_STATES).first()
    if open_plan is not None:
        return open_plan  # one plan in the making at a time: a second click finds the first
    problem = new_plan_problem(partnership)
    if problem:
        raise ValidationError(problem, code="no_new_plan")
    chosen = list(allowed.filter(pk__in=[a.pk for a in focus_areas]))
    if len(chosen) != len({a.pk for a in focus_areas}):
        raise ValidationError(_("Choose focus areas of the municipality."), code="focus_area")
    plan = ActionPlan.objects.create(
        partnership=partnership, title=title, slug=plan_slug(partnership), updated_by=by
    )
    plan.focus_areas.set(chosen)
    return plan


#: A plan the partner is still writing or the consultant is screening.
OPEN_STATES = EDITABLE_STATES | WAITING_STATES


def plan_slug(partnership: Partnership) -> str:
    return f"plan-{partnership.pk}-{uuid.uuid4().hex[:12]}"


def new_plan_problem(partnership: Partnership) -> str:
    """Why the partnership takes no new action plan now ("" if it does): it has ended, or a
    plan is in force (it is changed through an edit, so that one plan is in force at a time).
    Reads ``action_plans`` as prefetched, if they are."""
    if partnership.state == S.ENDED:
        return str(_("The partnership has ended: it takes no new action plan."))
    if any(
        p.state == ScreeningState.APPROVED and not p.revision_of_id
        for p in partnership.action_plans.all()
    ):
        return str(
            _(
                "The partnership has an action plan in force. Open it and choose "
                "“Change the plan” to revise it."
            )
        )
    return ""


def has_open_plan(partnership: Partnership) -> bool:
    return partnership.action_plans.live().filter(state__in=OPEN_STATES).exists()


def consultant_writes(plan: ActionPlan) -> bool:
    """A municipal leisure institution has no users on the portal: the municipality's
    consultant writes its plan in the admin, on its behalf, while the plan is a draft or
    changes are asked for (and screens it like any plan). An association writes its own."""
    return plan.live.partnership.institution_id is not None and plan.state in EDITABLE_STATES


def submit_plan(plan: ActionPlan, *, by) -> ActionPlan:
    """Hand the plan to the municipality's consultants: the screening workflow's submit
    (state, audit, the consultants' e-mail or digest)."""
    return screening_services.transition(plan, Transition.SUBMIT, by=by)


def change_plan(plan: ActionPlan, *, title: str, focus_areas, by=None) -> ActionPlan:
    """Change the title and focus areas of a plan the partner may still edit. A focus area
    that still has goals or activities stays: they would be lost from the plan's pages."""
    chosen = {a.pk for a in focus_areas}
    allowed = FocusArea.objects.filter(
        municipality=plan.partnership.municipality, kind=FocusArea.Kind.PARTNERSHIP, pk__in=chosen
    )
    if allowed.count() != len(chosen):
        raise ValidationError(_("Choose focus areas of the municipality."), code="focus_area")
    with transaction.atomic():
        plan = _locked(plan)  # a submit or a new goal at the same moment waits for this
        _check_editable(plan)
        used = {*plan.goals.values_list("focus_area", flat=True)}
        used |= {*plan.activities.values_list("focus_area", flat=True)}
        in_use = plan.focus_areas.filter(pk__in=used - chosen).order_by("position", "name")
        if in_use:
            raise ValidationError(
                _("Remove the goals and activities under %(areas)s first, or keep the focus area.")
                % {"areas": ", ".join(a.name for a in in_use)},
                code="focus_area_in_use",
            )
        plan.title = title
        plan.updated_by = by
        plan.save(update_fields=["title", "updated_by", "updated_at"])
        plan.focus_areas.set(chosen)
    return plan


def _locked(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.select_for_update().get(pk=plan.pk)


def _check_editable(plan: ActionPlan) -> None:
    if plan.state not in EDITABLE_STATES:
        raise ValidationError(
            _("The plan is with the municipality: it cannot be changed now."), code="not_editable"
        )


def add_part(plan: ActionPlan, form):
    """Add the goal or activity of the valid ``form`` to a plan the partner may still edit.
    The same form sent again (its key) gets the row it added the first time."""
    submit_key = form.cleaned_data.get("submit_key")
    part = form.save(commit=False)
    with transaction.atomic():
        plan = _locked(plan)  # its state and focus areas as they are now, not as the form saw
        _check_editable(plan)
        if not plan.focus_areas.filter(pk=part.focus_area_id).exists():
            raise ValidationError(
                _("The focus area is no longer part of the plan."), code="focus_area"
            )
        part.plan = plan
        part.submit_key = submit_key
        try:
            with transaction.atomic():
                part.save()
        except IntegrityError:
            if (first := sent_before(type(part), submit_key, plan=plan)) is None:
                raise
            return first
    return part


def remove_part(plan: ActionPlan, part: str, part_id: int) -> None:
    """Remove a goal or an activity from a plan the partner may still edit (a second click
    finds nothing left to remove)."""
    _check_editable(plan)
    model = {"goal": Goal, "activity": Activity}[part]
    model.objects.filter(plan=plan, pk=part_id).delete()


def edit_plan(plan: ActionPlan, *, by) -> ActionPlan:
    """Change an approved plan: the screening's revision (a draft copy with its goals and
    activities; the approved plan stays as it is until the edit is approved)."""
    return screening_services.start_revision(plan, by=by)
