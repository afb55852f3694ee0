"""The consultant's pages of partnerships: the overview (``/partnerships/``), scheduling a
status meeting, the meeting's page with its minutes; and the meeting's calendar file for
whoever may see it. Each view finds its rows through ``permissions`` (404 to strangers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.submitkeys import tell_once

from . import meeting_services as services
from .forms import MeetingForm, MeetingTimeForm, MinutesForm
from .models import PartnershipState
from .permissions import (
    consultant_meeting,
    consultant_partnership,
    consultant_partnerships,
    participant_meeting,
)


@require_GET
@login_required
def overview(request):
    partnerships = consultant_partnerships(request.user).select_related(
        "association", "institution", "contact", "municipality"
    )
    return render(
        request,
        "partnerships/consultant_overview.html",
        {"rows": services.overview(partnerships.order_by("state", "-starts_on", "pk"))},
    )


def _school_year(today) -> int:
    return today.year if today.month >= 8 else today.year - 1


@login_required
def meeting_new(request, partnership_id):
    partnership = consultant_partnership(request.user, partnership_id)
    if partnership.state == PartnershipState.ENDED:  # a link from before it ended
        messages.error(request, _("The partnership has ended."))
        return redirect("partnerships:overview")
    candidates = services.candidates(partnership)
    if request.method == "POST":
        form = MeetingForm(request.POST, candidates=candidates)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.schedule(
                    partnership,
                    kind=data["kind"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    invited=form.invited_candidates(),
                    agenda_notes=data["agenda_notes"],
                    by=request.user,
                    submit_key=data["submit_key"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                tell_once(
                    request,
                    messages.SUCCESS,
                    _("The meeting is scheduled and the participants are invited."),
                )
                return redirect("partnerships:meeting", meeting.pk)
        status = 400
    else:
        year = _school_year(timezone.localdate())
        form = MeetingForm(
            candidates=candidates,
            initial={
                "kind": services.suggested_kind(partnership, year),
                "invited": [c.key for c in candidates],
            },
        )
        status = 200
    return render(
        request,
        "partnerships/meeting_form.html",
        {
            "partnership": partnership,
            "form": form,
            "plan": services.approved_plan(partnership),
        },
        status=status,
    )


def _meeting_context(meeting, form=None, move_form=None) -> dict:
    begun = meeting.starts_at <= timezone.now()
    can_write = meeting.state != meeting.State.CANCELLED and begun
    if move_form is None and meeting.state == meeting.State.PLANNED and not begun:
        move_form = MeetingTimeForm.for_meeting(meeting)
    if form is None and can_write:
        form = MinutesForm(
            rows=services.minutes_rows(meeting),
            initial={"next_steps": meeting.next_steps, "internal_notes": meeting.internal_notes},
        )
    return {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "agenda": services.agenda(meeting),
        "participants": meeting.participants.all(),
        "form": form,
        "move_form": move_form,
    }


@require_GET
@login_required
def meeting_detail(request, meeting_id):
    meeting = consultant_meeting(request.user, meeting_id)
    return render(request, "partnerships/meeting.html", _meeting_context(meeting))


@require_POST
@login_required
def meeting_minutes(request, meeting_id):
    meeting = consultant_meeting(request.user, meeting_id)
    form = MinutesForm(request.POST, rows=services.minutes_rows(meeting))
    if form.is_valid():
        try:
            services.write_minutes(
                meeting,
                statuses=form.statuses(),
                next_steps=form.cleaned_data["next_steps"],
                internal_notes=form.cleaned_data["internal_notes"],
                by=request.user,
                submit_key=form.cleaned_data["submit_key"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            tell_once(request, messages.SUCCESS, _("The minutes are saved. Both sides see them."))
        return redirect("partnerships:meeting", meeting.pk)
    context = _meeting_context(meeting, form)
    return render(request, "partnerships/meeting.html", context, status=400)


@require_POST
@login_required
def meeting_cancel(request, meeting_id):
    meeting = consultant_meeting(request.user, meeting_id)
    try:
        services.cancel(meeting, by=request.user)
    except ValidationError as error:
        if meeting.state != meeting.State.CANCELLED:
            messages.error(request, error.messages[0])
            return redirect("partnerships:meeting", meeting.pk)
    # A second click finds the meeting cancelled already: the same answer as the first.
    tell_once(request, messages.SUCCESS, _("The meeting is cancelled."))
    return redirect("partnerships:meeting", meeting.pk)


@require_POST
@login_required
def meeting_move(request, meeting_id):
    meeting = consultant_meeting(request.user, meeting_id)
    form = MeetingTimeForm(request.POST, prefix="move")
    if form.is_valid() and form.changes_nothing(meeting):
        messages.info(request, _("Nothing changed: the meeting keeps its time and place."))
        return redirect("partnerships:meeting", meeting.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move(
                meeting,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            tell_once(
                request, messages.SUCCESS, _("The meeting is moved. Each participant is told.")
            )
        return redirect("partnerships:meeting", meeting.pk)
    context = _meeting_context(meeting, move_form=form)
    return render(request, "partnerships/meeting.html", context, status=400)


@require_GET
@login_required
def meeting_ics(request, meeting_id):
    """The meeting for a calendar, for the consultants and both sides of the partnership."""
    meeting = participant_meeting(request.user, meeting_id)
    response = HttpResponse(services.calendar(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="moede-{meeting.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
