from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import confirmed_email_required
from associations.models import Association, Offer
from associations.permissions import association_for
from portal.ratelimit import ratelimit
from portal.submitkeys import tell_once

from . import events, permissions, services, staff
from .forms import (
    AnswerForm,
    AnswerParticipationForm,
    EventMessageForm,
    JoinSchoolForm,
    NeedForm,
    ParticipationForm,
    SchoolEventForm,
)
from .models import EventParticipation, EventSide, SchoolEvent, SchoolMembership, SchoolNeed
from .permissions import school_for


def _need_or_404(user, pk: int) -> SchoolNeed:
    """The need, if the user may see it; 404 for everyone else."""
    need = get_object_or_404(SchoolNeed.objects.select_related("school"), pk=pk)
    if not permissions.can_view_need(user, need):
        raise Http404
    return need


def _board_access(user) -> bool:
    return bool(
        permissions.staff_schools(user)
        or permissions.association_municipality_ids(user)
        or getattr(user, "consultant_municipality", None)
    )


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    if not _board_access(request.user):
        raise PermissionDenied
    return render(
        request,
        "schools/need_list.html",
        {
            "needs": services.board_needs(request.user),
            "can_post": bool(permissions.staff_schools(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    schools = permissions.staff_schools(request.user)
    if not schools:
        raise PermissionDenied
    form = NeedForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        need = services.post_need(school=form.cleaned_data["school"], user=request.user, form=form)
        tell_once(request, messages.SUCCESS, _("Your need is on the board."))
        return redirect(need)
    return render(request, "schools/need_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need_or_404(request.user, pk)
    school_side = permissions.is_school_side(request.user, need)
    can_answer = permissions.can_answer_need(request.user, need)
    form = None
    if can_answer:
        associations = services.offers_for_answer(request.user, need)
        form = AnswerForm(request.POST or None, associations=associations)
        if request.method == "POST" and form.is_valid():
            answer = services.answer_need(
                need=need,
                association=form.cleaned_data["association"],
                offer=form.cleaned_data.get("offer"),
                message=form.cleaned_data.get("message", "").strip(),
                user=request.user,
                submit_key=form.cleaned_data["submit_key"],
            )
            tell_once(request, messages.SUCCESS, _("Your answer was sent to the school."))
            # Sent again, the form shows the answer it sent the first time, on its need.
            return redirect(answer.need)
    elif request.method == "POST":
        raise PermissionDenied
    answers = services.need_answers(need)
    if not school_side:
        # Associations see only their own answers; the school sees them all.
        answers = answers.filter(association__memberships__user=request.user)
    return render(
        request,
        "schools/need_detail.html",
        {"need": need, "answers": answers, "form": form, "school_side": school_side},
    )


@login_required
@require_POST
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need_or_404(request.user, pk)
    if not permissions.is_school_side(request.user, need):
        raise PermissionDenied
    services.close_need(need)
    messages.success(request, _("The need is closed."))
    return redirect(need)


# --- Staff: joining a school and approving colleagues ----------------------------------------


@confirmed_email_required
def join_school(request):
    """A staff member picks a school and a role; the membership waits for approval."""
    form = JoinSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = staff.request_membership(
                request.user, form.cleaned_data["school"], form.cleaned_data["role"]
            )
        except staff.MembershipError as error:
            form.add_error(None, str(error))
        else:
            if membership.is_approved:
                messages.success(request, _("Welcome! Your e-mail address is approved at once."))
            else:
                messages.info(
                    request,
                    _(
                        "Thank you. A consultant or a leader of the school will approve you; "
                        "we send you an e-mail."
                    ),
                )
            return redirect("schools:join_school")
    memberships = request.user.school_memberships.select_related("school")
    return render(request, "schools/join_school.html", {"form": form, "memberships": memberships})


@login_required
def school_staff(request):
    """Pending staff for a principal, a department head or a consultant to approve."""
    pending = staff.pending_for(request.user)
    user = request.user
    is_leader = any(m.is_leader for m in user.active_school_memberships)
    if not (user.is_superuser or user.is_consultant or is_leader):
        raise PermissionDenied
    return render(request, "schools/school_staff.html", {"pending": pending})


def _pending_membership(request, pk: int) -> SchoolMembership:
    """The membership if this user may decide on it: 404 for anyone else."""
    membership = staff.pending_for(request.user).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


@login_required
@require_POST
def decide_staff(request, pk: int):
    membership = _pending_membership(request, pk)
    try:
        if request.POST.get("decision") == "approve":
            staff.approve(membership, by=request.user)
            messages.success(
                request, _("%(name)s is approved.") % {"name": membership.user.get_full_name()}
            )
        elif request.POST.get("decision") == "decline":
            staff.decline(membership, by=request.user)
            messages.info(
                request, _("%(name)s was declined.") % {"name": membership.user.get_full_name()}
            )
    except staff.MembershipError as error:
        messages.error(request, str(error))
    return redirect("schools:school_staff")


# --- School events ------------------------------------------------------------------------


@login_required
def school_event_add(request):
    school = school_for(request.user, request.GET.get("school") or request.POST.get("school"))
    form = SchoolEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.school = school
        event.created_by = request.user
        events.add_school_event(event, form.cleaned_data["submit_key"])
        tell_once(request, messages.SUCCESS, _("The event is in the school's calendar."))
        return redirect("bookings:my_school")
    return render(request, "schools/school_event_form.html", {"form": form, "school": school})


@login_required
def school_events(request):
    """Schools' events in the municipalities of the user's screened (approved) associations."""
    associations = _screened_associations(request.user)
    if not associations:
        raise Http404
    association_ids = {a.pk for a in associations}
    school_events = list(
        SchoolEvent.objects.filter(
            school__municipality__in=[m for a in associations for m in a.municipalities.all()],
            ends_on__gte=timezone.localdate(),
        )
        .select_related("school")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=EventParticipation.objects.filter(
                    association__in=association_ids
                ).select_related("association"),
                to_attr="own_participations",
            )
        )
        .distinct()
    )
    return render(request, "schools/school_events.html", {"events": school_events})


def _screened_associations(user) -> list:
    """Only associations the consultant has approved may see and contact schools."""
    return list(
        Association.objects.published()
        .filter(memberships__user=user)
        .prefetch_related("municipalities")
        .distinct()
    )


@login_required
def participate(request, pk):
    associations = _screened_associations(request.user)
    if not associations:
        raise Http404
    municipality_ids = {m.pk for a in associations for m in a.municipalities.all()}
    event = get_object_or_404(SchoolEvent, pk=pk, school__municipality_id__in=municipality_ids)
    association = association_for(
        request.user, request.POST.get("association") or associations[0].pk
    )
    if (
        association not in associations
        or not association.municipalities.filter(pk=event.school.municipality_id).exists()
    ):
        raise Http404
    answered = (
        EventParticipation.objects.filter(event=event, association=association)
        .exclude(state=EventParticipation.State.OFFERED)
        .first()
    )
    if answered is not None:  # the school has answered: the thread is the place to talk
        tell_once(
            request,
            messages.INFO,
            _("The school has answered your offer. Write to the school in the messages."),
        )
        return redirect(answered)
    offers = Offer.objects.published().filter(association=association)
    form = ParticipationForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        events.offer_participation(
            event,
            association=association,
            user=request.user,
            offer=form.cleaned_data["offer"],
            message=form.cleaned_data["message"],
            submit_key=form.cleaned_data["submit_key"],
        )
        tell_once(
            request,
            messages.SUCCESS,
            _("The school can now see that you would like to take part."),
        )
        return redirect("schools:school_events")
    return render(
        request,
        "schools/participate.html",
        {"event": event, "form": form, "association": association},
    )


# --- An offer to take part: the school's answer and the thread ---------------------------------


def _participation_page(request, access, **forms) -> HttpResponse:
    participation = access.participation
    school_side = access.side == EventSide.SCHOOL
    context = {
        "participation": participation,
        "event": participation.event,
        "school_side": school_side,
        "thread": events.thread(participation),
        "message_form": EventMessageForm(),
        "answer_form": AnswerParticipationForm() if school_side else None,
    }
    context.update(forms)
    return render(request, "schools/participation_detail.html", context)


@login_required
@require_GET
def participation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer to take part, its answer and its thread: for the event's school and the
    association that offered, 404 for everyone else."""
    return _participation_page(request, events.participation_access(request.user, pk))


@login_required
@require_POST
def participation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the event's school accepts or declines (the association gets 403)."""
    access = events.participation_access(request.user, pk)
    if access.side != EventSide.SCHOOL:
        raise PermissionDenied
    form = AnswerParticipationForm(request.POST)
    if not form.is_valid():
        return _participation_page(request, access, answer_form=form)
    participation = events.decide(
        access.participation,
        user=request.user,
        accept=form.cleaned_data["decision"] == "accept",
        message=form.cleaned_data["message"],
        submit_key=form.cleaned_data["submit_key"],
    )
    if participation.state == EventParticipation.State.ACCEPTED:
        text = _("You accepted the offer. The association has been told.")
    else:
        text = _("You declined the offer. The association has been told.")
    tell_once(request, messages.SUCCESS, text)
    return redirect(participation)


@login_required
@require_POST
@ratelimit("event-message", rate=getattr(settings, "PORTAL_MESSAGE_RATE", "30/h"), key="user")
def participation_message(request: HttpRequest, pk: int) -> HttpResponse:
    access = events.participation_access(request.user, pk)
    form = EventMessageForm(request.POST)
    if not form.is_valid():
        return _participation_page(request, access, message_form=form)
    try:
        message = events.post_message(
            access.participation,
            user=request.user,
            side=access.side,
            body=form.cleaned_data["body"],
            submit_key=form.cleaned_data["submit_key"],
        )
    except events.EventError as error:
        form.add_error("body", str(error))
        return _participation_page(request, access, message_form=form)
    tell_once(request, messages.SUCCESS, _("Your message has been sent."))
    # Sent again, the form shows the message it posted the first time, in its thread.
    return redirect(message.participation.get_absolute_url() + "#messages")
