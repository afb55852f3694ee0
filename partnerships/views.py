"""The partner's and the school's view of their partnerships (read-only; consultants work in
the admin). Each view finds its association or school through that app's access helper, which
answers 404 to strangers, and lists only that party's partnerships."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from associations.permissions import get_association_for
from portal.submitkeys import tell_once
from schools.permissions import school_for, user_schools
from screening import services as screening_services
from screening.workflow import EDITABLE_STATES, AlreadyDone, S, TransitionNotAllowed

from . import printing, services
from .forms import ActivityForm, GoalForm, PlanForm
from .models import Partnership
from .permissions import approved_plan_for, partnership_for, plan_for


def _listed(queryset):
    return queryset.select_related(
        "association", "institution", "contact", "municipality"
    ).prefetch_related("schools")


@login_required
def association_partnerships(request, slug):
    association, membership = get_association_for(request.user, slug)
    return _association_page(request, association, membership)


def _association_page(request, association, membership, sent=None, status=200):
    """The association's partnerships, each with the form to start an action plan when it
    takes one (``plan_problem`` says why not); ``sent``: a form that came back with errors,
    by its partnership's id, shown open with what was typed."""
    sent = sent or {}
    partnerships = list(
        _listed(Partnership.objects.for_association(association)).prefetch_related("action_plans")
    )
    for p in partnerships:
        p.plan_problem = services.new_plan_problem(p)
        p.plan_form = sent.get(p.pk) or PlanForm(partnership=p, auto_id=f"id_p{p.pk}_%s")
        p.plan_form_sent = p.pk in sent
    return render(
        request,
        "partnerships/association_list.html",
        {"association": association, "membership": membership, "partnerships": partnerships},
        status=status,
    )


@login_required
def school_partnerships(request):
    school = school_for(request.user, request.GET.get("school"))
    partnerships = _listed(Partnership.objects.for_school(school)).prefetch_related("action_plans")
    return render(
        request,
        "partnerships/school_list.html",
        {"school": school, "schools": user_schools(request.user), "partnerships": partnerships},
    )


# --- The partner's action plan ---------------------------------------------------------------


#: An approved (or suspended, expired) plan is changed through a revision, as an offer is.
EDIT_THROUGH_REVISION = {S.APPROVED, S.SUSPENDED, S.EXPIRED}
CLOSED = [S.APPROVED, S.WITHDRAWN, S.REJECTED]


def _as_sent(plan, data) -> bool:
    """Whether the plan has the title and focus areas of the form (a double click's plan does)."""
    areas = {a.pk for a in data["focus_areas"]}
    return (
        plan.title == data["title"] and set(plan.focus_areas.values_list("pk", flat=True)) == areas
    )


def _plan_page(plan):
    return redirect("partnerships:plan", plan.partnership.association.slug, plan.pk)


@require_POST
@login_required
def plan_create(request, slug, partnership_id):
    partnership = partnership_for(request.user, slug, partnership_id)
    form = PlanForm(request.POST, partnership=partnership, auto_id=f"id_p{partnership.pk}_%s")
    if form.is_valid():
        try:
            plan = services.create_plan(
                partnership,
                title=form.cleaned_data["title"],
                focus_areas=form.cleaned_data["focus_areas"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not _as_sent(plan, form.cleaned_data):
                # A plan was already in the making (an old tab, another member): it opens, and
                # the user learns that what they typed was not used.
                open_plan = (
                    _(
                        "The partnership already has an action plan in the making, "
                        "“%(title)s”; it is opened here. Your title and focus areas were not "
                        "used: change them on this plan under “Title and focus areas”."
                    )
                    if plan.state in EDITABLE_STATES
                    else _(
                        "The partnership's action plan “%(title)s” is with the municipality; "
                        "it is opened here. Your title and focus areas were not used."
                    )
                )
                messages.info(request, open_plan % {"title": plan.title})
            return _plan_page(plan)
    association, membership = get_association_for(request.user, slug)
    return _association_page(
        request, association, membership, sent={partnership.pk: form}, status=400
    )


@login_required
def plan_detail(request, slug, plan_id):
    plan = plan_for(request.user, slug, plan_id)
    return render(request, "partnerships/plan.html", _plan_context(plan))


def _plan_context(plan, goal_form=None, activity_form=None, plan_form=None) -> dict:
    editable = plan.state in EDITABLE_STATES
    if editable and plan_form is None:
        initial = {"title": plan.title, "focus_areas": list(plan.focus_areas.all())}
        plan_form = PlanForm(initial=initial, partnership=plan.partnership, prefix="plan")
    return {
        "plan_form": plan_form,
        "plan": plan,
        "association": plan.partnership.association,
        "editable": editable,
        "goal_form": goal_form or (GoalForm(plan=plan) if editable else None),
        "activity_form": activity_form or (ActivityForm(plan=plan) if editable else None),
        "events": screening_services.history(plan).exclude(message=""),
        "rejection": screening_services.rejection(plan),
        "can_edit_approved": not plan.is_revision and plan.state in EDIT_THROUGH_REVISION,
        "pending_edits": [] if plan.is_revision else plan.revisions.exclude(state__in=CLOSED),
    }


@require_POST
@login_required
def plan_add(request, slug, plan_id, part):
    plan = plan_for(request.user, slug, plan_id)
    forms = {"goal": GoalForm, "activity": ActivityForm}
    if part not in forms:
        raise Http404
    form = forms[part](request.POST, plan=plan)
    if not form.is_valid():
        context = _plan_context(plan, **{f"{part}_form": form})
        return render(request, "partnerships/plan.html", context, status=400)
    try:
        services.add_part(plan, form)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:  # a second click finds its goal or activity added: the same answer, once
        added = {"goal": _("The goal is added."), "activity": _("The activity is added.")}
        tell_once(request, messages.SUCCESS, added[part])
    return _plan_page(plan)


@require_POST
@login_required
def plan_change(request, slug, plan_id):
    """The title and focus areas of a plan the partner still writes."""
    plan = plan_for(request.user, slug, plan_id)
    form = PlanForm(request.POST, partnership=plan.partnership, prefix="plan")
    if form.is_valid():
        try:
            services.change_plan(plan, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            if error.code != "not_editable":
                form.add_error(None, error)
            else:  # sent meanwhile (another tab, another member): the page says its state
                messages.error(request, error.messages[0])
                return _plan_page(plan)
        else:  # a second click changes nothing more: the same answer, once
            tell_once(request, messages.SUCCESS, _("The title and focus areas are saved."))
            return _plan_page(plan)
    return render(
        request, "partnerships/plan.html", _plan_context(plan, plan_form=form), status=400
    )


@require_POST
@login_required
def plan_submit(request, slug, plan_id):
    plan = plan_for(request.user, slug, plan_id)
    done = _("The plan is submitted. The municipality's consultant will contact you.")
    try:
        services.submit_plan(plan, by=request.user)
    except AlreadyDone:  # a second click: the first one's answer
        tell_once(request, messages.SUCCESS, done)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        tell_once(request, messages.SUCCESS, done)
    return _plan_page(plan)


@require_POST
@login_required
def plan_remove(request, slug, plan_id, part, part_id):
    plan = plan_for(request.user, slug, plan_id)
    if part not in ("goal", "activity"):
        raise Http404
    try:
        services.remove_part(plan, part, part_id)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _plan_page(plan)


@require_POST
@login_required
def plan_edit(request, slug, plan_id):
    plan = plan_for(request.user, slug, plan_id)
    try:
        edit = services.edit_plan(plan, by=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
        return _plan_page(plan)
    return _plan_page(edit)


# --- The approved plan on paper: for the partner, the schools and the consultants ---------


def _print_language(request) -> str:
    """``?lang=da`` or ``?lang=en``; otherwise the viewer's language."""
    wanted = request.GET.get("lang", "")
    return wanted if wanted in dict(settings.LANGUAGES) else translation.get_language()


def _back_url(user, plan) -> str:
    """Where the reader came from: their partnerships page, or the admin for a consultant."""
    p = plan.partnership
    if p.association_id and p.association_id in {
        m.association_id for m in user.association_memberships
    }:
        return reverse("partnerships:association", args=[p.association.slug])
    if user.consultant_municipality is not None:
        return reverse("admin:partnerships_partnership_change", args=[p.pk])
    return reverse("partnerships:school")


@require_safe
@login_required
def plan_print(request, plan_id):
    plan = approved_plan_for(request.user, plan_id)
    language = _print_language(request)
    with translation.override(language):
        return render(
            request,
            "partnerships/plan_print.html",
            {
                "plan": plan,
                "facts": printing.facts(plan),
                "sections": printing.plan_sections(plan),
                "language": language,
                "other_language": "en" if language == "da" else "da",
                "back_url": _back_url(request.user, plan),
            },
        )


@require_safe
@login_required
def plan_pdf(request, plan_id):
    plan = approved_plan_for(request.user, plan_id)
    with translation.override(_print_language(request)):
        content = printing.plan_pdf(plan)
        name = _("action-plan")  # outside the f-string: xgettext reads no call inside one
        filename = f"{name}-{plan.pk}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
