"""The pages of network meetings and open events: the list of what the user may join, an
event's page with the sign-up form, and the sign-up and cancel actions (thin: access through
``access.event_for``, rules in ``services``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.submitkeys import tell_once

from . import access, services
from .forms import RegistrationForm, party_value
from .models import RegistrationState


@login_required
@require_GET
def event_list(request):
    now = timezone.now()
    events = access.visible_events(request.user).select_related("municipality")
    return render(
        request,
        "partnerships/network/event_list.html",
        {
            "upcoming": events.upcoming(now).order_by("starts_at"),
            "past": events.filter(ends_at__lte=now).order_by("-starts_at")[:20],
        },
    )


def _new_form(parties, mine) -> RegistrationForm:
    """Changing a sign-up starts from its party and number, not from one participant."""
    initial = {}
    if mine:
        initial = {"party": party_value(mine[0].party), "participants": mine[0].participants}
    return RegistrationForm(parties=parties, initial=initial)


def _detail_context(request, event, parties, form=None) -> dict:
    active = event.registrations.active().select_related("association", "school")
    mine = [r for r in active if r.party in parties]
    started = event.has_started()
    closed = started or event.is_cancelled
    return {
        "event": event,
        "parties": parties,
        "mine": mine,
        "free": event.free(),
        "waiting": event.registrations.filter(state=RegistrationState.WAITING).count(),
        "started": started,
        "closed": closed,
        "form": form or (_new_form(parties, mine) if parties and not closed else None),
        "is_consultant": access.is_consultant_of(request.user, event),
    }


@login_required
@require_GET
def event_detail(request, pk):
    event, parties = access.event_for(request.user, pk)
    return render(
        request, "partnerships/network/event_detail.html", _detail_context(request, event, parties)
    )


@login_required
@require_GET
def event_ics(request, pk):
    """The event for a calendar, for whoever may see its page."""
    event, _parties = access.event_for(request.user, pk)
    response = HttpResponse(services.calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="moede-{event.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def event_register(request, pk):
    event, parties = access.event_for(request.user, pk)
    form = RegistrationForm(request.POST, parties=parties)
    if not parties or not form.is_valid():
        context = _detail_context(request, event, parties, form if parties else None)
        return render(request, "partnerships/network/event_detail.html", context, status=400)
    try:
        registration = services.register(
            event,
            form.cleaned_data["party"],
            user=request.user,
            participants=form.cleaned_data["participants"],
            submit_key=form.cleaned_data.get("submit_key"),
        )
    except ValidationError as error:
        form.add_error("participants" if error.code in ("too_many", "full") else None, error)
        context = _detail_context(request, event, parties, form)
        return render(request, "partnerships/network/event_detail.html", context, status=400)
    if registration.is_waiting:
        tell_once(request, messages.INFO, _("The room is full: you are on the waiting list."))
    else:
        tell_once(request, messages.SUCCESS, _("You are signed up."))
    return redirect(event)


@require_POST
@login_required
def event_cancel(request, pk, registration_id):
    event, parties = access.event_for(request.user, pk)
    registration = access.registration_for(request.user, event, parties, registration_id)
    try:
        services.cancel(registration, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        tell_once(request, messages.SUCCESS, _("The sign-up is cancelled."))
    return redirect(event)
