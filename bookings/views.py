from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from associations.permissions import association_for
from municipalities.models import Municipality
from portal import fragments, generations
from portal.ratelimit import ratelimit
from portal.redirects import local_url
from portal.submitkeys import tell_once
from schools.models import School
from schools.permissions import school_for, user_schools
from schools.services import needs_for_school

from . import ics as ical
from . import services
from .forms import (
    ApprovalForm,
    CancelForm,
    ConfirmForm,
    EvaluationForm,
    MessageForm,
    NoteForm,
    OccasionForm,
    PoolAmountForm,
    ProposeForm,
    SubsidyPoolForm,
    booking_request_form,
)
from .models import (
    Booking,
    CalendarFeed,
    Evaluation,
    Occasion,
    SubsidyPool,
    WaitingListEntry,
)
from .permissions import booking_access, occasion_for_member, offer_for_member, require_side
from .states import (
    OPEN_STATES,
    WAITING_FOR,
    Actor,
    BookingError,
    BookingState,
    BookingTransition,
    allowed_transitions,
)

T = BookingTransition
BOOKING_RATE = getattr(settings, "PORTAL_BOOKING_RATE", "30/h")
MESSAGE_RATE = getattr(settings, "PORTAL_MESSAGE_RATE", "30/h")


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


# --- Booking request ----------------------------------------------------------------------


#: What the booking form and its rules read of the teacher's school memberships: the role
#: (a leader needs no approval), the school's name (the choice) and its municipality's rules
#: (answer days, the approval threshold, the winter holiday week). Fewer columns are less
#: work for the ORM; a column read that is not here costs a query.
BOOKING_COLUMNS = (
    "role",
    "school__name",
    "school__municipality__name",
    "school__municipality__booking_answer_days",
    "school__municipality__leader_approval_above",
    "school__municipality__school_year_settings__winter_holiday_week",
)


@login_required
@ratelimit("booking", rate=BOOKING_RATE, key="user")
def book_offer(request, slug):
    # Only school staff book: their memberships are read at once, without the cached summary.
    memberships = request.user.roles.load_school_memberships(only=BOOKING_COLUMNS)
    if not memberships:
        raise PermissionDenied
    municipalities = {m.school.municipality_id for m in memberships}
    offer = services.bookable_offer(slug, municipalities)
    if offer is None:
        raise Http404
    form = booking_request_form(
        request.POST or None,
        offer=offer,
        user=request.user,
        occasions=None
        if offer.on_request
        else Occasion.objects.bookable().filter(offer=offer).prefetch_related("sessions"),
    )
    # The form reads the dates once; the page shows the same rows.
    occasions = form.fields["occasion"].queryset if "occasion" in form.fields else []
    context = {"offer": offer, "form": form, "occasions": occasions, "split": None, "price": None}
    if request.method == "POST" and form.is_valid():
        if "calculate" not in request.POST and (outcome := _book(request, form, offer)):
            return _booked(request, outcome)
        # Shown with the form again: the price asked for, or the booking refused.
        context.update(_price_preview(request, form, offer))
    return render(request, "bookings/book_offer.html", context)


def _sessions(form) -> int:
    occasion = form.cleaned_data.get("occasion")
    return occasion.session_count if occasion else form.cleaned_data.get("sessions", 1)


def _book(request, form, offer) -> services.Outcome | None:
    """Send the valid booking form to ``services.book``; None (with the reason on the form)
    when a rule refuses it."""
    data = form.cleaned_data
    occasion = data.get("occasion")
    try:
        return services.book(
            user=request.user,
            school=data["school"],
            offer=offer,
            occasion=occasion,
            contact_teacher=data["contact_teacher"],
            classes=data["classes"],
            class_count=data["class_count"],
            grade=data["grade"],
            pupils=data["pupils"],
            preferred=form.preferred() if offer.on_request else None,
            sessions=_sessions(form),
            special_needs=data["special_needs"],
            message=data["message"],
            join_waiting_list=bool(data.get("join_waiting_list")),
            submit_key=data["submit_key"],
        )
    except services.OccasionFull as exc:
        form.add_error("occasion", str(exc))
    except (BookingError, ValidationError) as exc:
        form.add_error(None, _error_text(exc))
    return None


def _price_preview(request, form, offer) -> dict:
    """Who would pay what, with the pool of the chosen date's school year: the computation
    the request stores and the confirmation reserves (``services.split_price``), and whether
    a school leader would have to approve it."""
    data = form.cleaned_data
    occasion = data.get("occasion")
    preferred = form.preferred()
    when = occasion.starts_at if occasion else (preferred[0][0] if preferred else timezone.now())
    school = data["school"]
    split = services.quote(
        offer,
        school,
        when,
        pupils=data["pupils"],
        sessions=_sessions(form),
        classes=data["class_count"],
    )
    return {
        "split": split,
        "price": split.price,
        "threshold": school.municipality.leader_approval_above,
        "needs_approval": school.municipality.needs_leader_approval(split.school)
        and not services.is_leader(request.user, school),
    }


def _booked(request, outcome: services.Outcome):
    """Tell the school what its booking form led to, and show the page that follows."""
    if outcome.kind == "allocation":
        deadline = timezone.localtime(outcome.occasion.allocation_deadline)
        text = _(
            "Your request takes part in the allocation on %(date)s. You will be told the result."
        ) % {"date": date_format(deadline, "DATETIME_FORMAT")}
        tell_once(request, messages.SUCCESS, text)
        return redirect("bookings:my_school")
    if outcome.kind == "waiting":
        text = _("The date is full. Your school is on the waiting list.")
        tell_once(request, messages.INFO, text)
        return redirect("bookings:my_school")
    if outcome.kind == "confirmed":
        tell_once(request, messages.SUCCESS, _("Your booking is confirmed."))
    elif outcome.booking.state == BookingState.AWAITING_APPROVAL:
        text = _(
            "Your request waits for the approval of a principal or department head of your "
            "school. The association receives it when it is approved."
        )
        tell_once(request, messages.SUCCESS, text)
    else:
        tell_once(request, messages.SUCCESS, _("Your request has been sent to the association."))
    return redirect("bookings:detail", outcome.booking.pk)


# --- One booking --------------------------------------------------------------------------


# The booking page holds several forms: the prefixes keep their fields' names and ids apart
# (the cancellation reason and the proposal's note are both "note").
PROPOSE_PREFIX = "propose"
CANCEL_PREFIX = "cancel"


@login_required
def booking_detail(request, pk):
    return _detail_page(request, booking_access(request.user, pk))


def _detail_page(request, access, **forms) -> HttpResponse:
    """The booking page; ``forms`` replace the empty forms with bound ones and their errors."""
    booking = access.booking
    side = access.side
    evaluations = booking.evaluations.all()
    if side != Actor.CONSULTANT:
        # Each side sees its own evaluation; the consultant sees both.
        evaluations = evaluations.filter(side=side)
    own_eval = next((e for e in evaluations if e.side == side), None)
    context = {
        "booking": booking,
        "side": side,
        "transitions": [
            t
            for t in allowed_transitions(booking.state, side)
            if t != T.CANCEL or services.can_cancel(booking, side)
        ],
        "too_late_to_cancel": booking.state in OPEN_STATES
        and not services.can_cancel(booking, side),
        "events": booking.events.select_related("actor"),
        "thread": booking.messages.select_related("author"),
        "message_form": MessageForm(),
        "cancel_form": CancelForm(prefix=CANCEL_PREFIX),
        "propose_form": ProposeForm(prefix=PROPOSE_PREFIX),
        "evaluations": evaluations,
        "can_evaluate": side != Actor.CONSULTANT and services.can_evaluate(booking),
        "evaluation_form": EvaluationForm(instance=own_eval, side=side),
        "preferred": [
            (timezone.datetime.fromisoformat(s), timezone.datetime.fromisoformat(e))
            for s, e in booking.preferred_dates
        ],
        "can_decide_approval": booking.state == BookingState.AWAITING_APPROVAL
        and services.is_leader(request.user, booking.school),
    }
    context.update(forms)
    return render(request, "bookings/detail.html", context)


@login_required
@require_POST
def booking_action(request, pk, action):
    access = booking_access(request.user, pk)
    if action not in T.values:
        raise Http404
    side = access.side
    starts_at = ends_at = None
    # A form the page shows is shown again with its errors and what was entered.
    shown_as = None
    if action == T.PROPOSE_ALTERNATIVE:
        form, shown_as = ProposeForm(request.POST, prefix=PROPOSE_PREFIX), "propose_form"
    elif action == T.CANCEL:
        form, shown_as = CancelForm(request.POST, prefix=CANCEL_PREFIX), "cancel_form"
    elif action == T.CONFIRM:
        form = ConfirmForm(request.POST)
    else:
        form = NoteForm(request.POST)
    if not form.is_valid():
        if shown_as:
            return _detail_page(request, access, **{shown_as: form})
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, errors[0] if errors else _("Please fill in the form correctly."))
        return redirect("bookings:detail", pk)
    if action == T.PROPOSE_ALTERNATIVE:
        starts_at, ends_at = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
    if action == T.CONFIRM:
        starts_at = form.cleaned_data["chosen"]
    try:
        services.transition(
            access.booking,
            action,
            user=request.user,
            actor=side,
            note=form.cleaned_data.get("note", ""),
            starts_at=starts_at,
            ends_at=ends_at,
        )
    except (BookingError, ValidationError) as exc:
        if action == T.PROPOSE_ALTERNATIVE:  # e.g. a holiday: the dates are kept to change
            form.add_error(None, _error_text(exc))
            return _detail_page(request, access, propose_form=form)
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The booking has been updated."))
    return redirect("bookings:detail", pk)


@login_required
@require_POST
@ratelimit("booking-message", rate=MESSAGE_RATE, key="user")
def post_message(request, pk):
    access = booking_access(request.user, pk)
    side = require_side(access, Actor.SCHOOL, Actor.ASSOCIATION)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, access, message_form=form)
    message = services.post_message(
        access.booking,
        user=request.user,
        side=side,
        body=form.cleaned_data["body"],
        submit_key=form.cleaned_data["submit_key"],
    )
    tell_once(request, messages.SUCCESS, _("Your message has been sent."))
    # Sent again, the form shows the message it posted the first time, on its booking.
    return redirect(reverse("bookings:detail", args=[message.booking_id]) + "#messages")


@login_required
@require_POST
def evaluate(request, pk):
    access = booking_access(request.user, pk)
    side = require_side(access, Actor.SCHOOL, Actor.ASSOCIATION)
    existing = access.booking.evaluations.filter(side=side).first()
    form = EvaluationForm(request.POST, instance=existing, side=side)
    if form.is_valid():
        data = {f: form.cleaned_data.get(f) for f in form.fields}  # with the submit_key
        try:
            services.save_evaluation(access.booking, user=request.user, side=side, **data)
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            tell_once(request, messages.SUCCESS, _("Thank you for your evaluation."))
    else:
        messages.error(request, _("Please fill in the form correctly."))
    return redirect(reverse("bookings:detail", args=[pk]) + "#evaluation")


# --- A school leader's approval -----------------------------------------------------------


@login_required
@require_POST
def decide_approval(request, pk):
    """A principal or department head approves a booking waiting for it, or not (with a
    message for the teacher). Strangers get 404, the school's other staff 403."""
    access = booking_access(request.user, pk)
    require_side(access, Actor.SCHOOL)
    if not services.is_leader(request.user, access.booking.school):
        raise PermissionDenied
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form correctly."))
    else:
        decision = form.cleaned_data["decision"]
        try:
            services.transition(
                access.booking,
                decision,
                user=request.user,
                actor=Actor.LEADER,
                note=form.cleaned_data["note"],
            )
        except BookingError as exc:  # e.g. decided a moment ago: nothing changes
            messages.error(request, str(exc))
        else:
            text = (
                _("The booking is approved and has been sent to the association.")
                if decision == T.APPROVE
                else _("The booking is not approved. The teacher has been told why.")
            )
            messages.success(request, text)
    if form.is_valid() and form.cleaned_data["back"] == "my_school":
        return redirect(reverse("bookings:my_school") + f"?school={access.booking.school_id}")
    return redirect(reverse("bookings:detail", args=[pk]) + "#approval")


@login_required
@require_safe
def approval_link(request, token):
    """The link in the e-mail to the school's leaders: signed, and only opens the booking
    for someone signed in who may see it; the decision is the page's form (a POST)."""
    pk = services.booking_pk_from(token)
    if pk is None:
        raise Http404
    booking_access(request.user, pk)
    return redirect(reverse("bookings:detail", args=[pk]) + "#approval")


# --- My school ----------------------------------------------------------------------------


MY_SCHOOL_LIST_SIZE = 20
#: What a row of a list shows ({% booking_row %}): a list loads only these.
BOOKING_ROW_FIELDS = (
    "state",
    "starts_at",
    "answer_deadline",
    "offer__title",
    "offer__association__name",
)
#: What the waiting list shows of an entry and its date (the date's text: offer and start);
#: ``school``: the list is read through the school, which Django sets on each row.
WAITING_ROW_FIELDS = (
    "school",
    "classes",
    "state",
    "for_allocation",
    "allocation_note",
    "offer_expires_at",
    "occasion__starts_at",
    "occasion__allocated_at",
    "occasion__allocation_deadline",
    "occasion__offer__title",
)


@login_required
def my_school(request):
    school = school_for(request.user, request.GET.get("school"))
    schools = user_schools(request.user)
    show_all = bool(request.GET.get("all"))
    # One token for the lists' forms and the frame's log-out form (each get_token masks anew).
    token = get_token(request)
    # The lists are cached per user and school until something they show changes (or time
    # moves a booking from upcoming to past); see portal.fragments.
    content = fragments.cached_fragment(
        request,
        "my-school",
        # The user's schools (fresh from their cached roles) name the other tabs.
        parts=(school.pk, show_all, *((s.pk, s.name) for s in schools)),
        names=[
            generations.CATALOG,
            fragments.name(School, school.pk),
            fragments.name(Municipality, school.municipality_id),
        ],
        render=lambda csrf_token: _render_my_school(request, school, schools, show_all, csrf_token),
        csrf_token=token,
    )
    context = {"school": school, "content": content, "csrf_token": token}
    return render(request, "bookings/my_school.html", context)


def _waiting_lists(user, school, bookings, rows, limit: int | None) -> dict:
    """The bookings waiting for someone's answer, ordered by deadline: "waiting" for the
    school's (a date the association proposed instead), "requested" for the association's
    and those waiting for the school leader. A leader decides these ("to_approve", with
    the price and the teacher); anyone else at the school sees them wait ("awaiting"). One
    query for the three lists (each is one state), sorted here; with ``limit``, at most
    ``limit + 1`` rows of each state (a busy school has hundreds waiting)."""
    leader = services.is_leader(user, school)
    states = [*WAITING_FOR, *([] if leader else [BookingState.AWAITING_APPROVAL])]
    waiting = rows.filter(state__in=states)
    if limit:
        order = (F("answer_deadline").asc(), F("pk").asc())
        place = Window(RowNumber(), partition_by=F("state"), order_by=order)
        waiting = waiting.annotate(in_state=place).filter(in_state__lte=limit + 1)
    lists = {"waiting": [], "requested": [], "awaiting": []}
    for booking in waiting.order_by("answer_deadline", "pk"):
        who = WAITING_FOR.get(booking.state)
        name = "awaiting" if who is None else "waiting" if who == Actor.SCHOOL else "requested"
        lists[name].append(booking)
    if leader:
        awaiting = bookings.awaiting_approval().order_by("answer_deadline")
        lists["to_approve"] = awaiting.select_related("requested_by")
    else:
        lists["to_approve"] = []
    return lists


def _render_my_school(request, school, schools, show_all: bool, csrf_token: str):
    """The lists of "My school" as HTML, and the moment they stop being valid."""
    now = timezone.now()
    bookings = Booking.objects.for_school(school).select_related("offer__association")
    # From the cache under the municipality's name, which these lists are cached under too.
    pool = services.quoted_pool(school.municipality, now)
    # A busy school has hundreds of bookings: show the first ones, "show all" on request.
    limit = None if show_all else MY_SCHOOL_LIST_SIZE
    rows = bookings.only(*BOOKING_ROW_FIELDS)
    lists = _waiting_lists(request.user, school, bookings, rows, limit)
    lists["upcoming"] = list(rows.upcoming().order_by("starts_at")[: limit and limit + 1])
    upcoming = lists["upcoming"]
    shortened = ("waiting", "requested", "awaiting", "upcoming")
    # Valid until the first upcoming booking starts (it becomes a past one), the day ends
    # (events, needs and the school year's pool are by date) or a timed part changes (a
    # network meeting it lists ends: the partnerships' {% school_events %} says when).
    expiry = [fragments.next_midnight(now), *(row.starts_at for row in upcoming[:1])]
    context = {
        fragments.EXPIRY: expiry,
        "csrf_token": csrf_token,
        "school": school,
        "schools": schools,
        **lists,
        **{name: lists[name][:limit] for name in shortened},
        "more": bool(limit) and any(len(lists[name]) > limit for name in shortened),
        "past": rows.past().order_by("-starts_at")[:MY_SCHOOL_LIST_SIZE],
        "waiting_list": school.waiting_entries.filter(
            state__in=[WaitingListEntry.State.WAITING, WaitingListEntry.State.OFFERED]
        )
        .select_related("occasion__offer")
        .only(*WAITING_ROW_FIELDS),
        "events": school.events.filter(ends_on__gte=timezone.localdate(now)).prefetch_related(
            "participations__association"
        ),
        "pool": pool,
        "pool_figures": services.pool_figures(pool, school) if pool else None,
        "feed": (feed := CalendarFeed.objects.filter(school=school).first()),
        "feed_url": services.feed_address(feed),
        "needs": needs_for_school(school),
    }
    html = render_to_string("bookings/_my_school.html", context, request)
    return html, min(expiry)


@login_required
@require_POST
def accept_waiting_place(request, pk):
    schools = [m.school_id for m in request.user.active_school_memberships]
    entry = get_object_or_404(WaitingListEntry, pk=pk, school_id__in=schools)
    try:
        booking = services.accept_waiting_offer(
            entry, user=request.user, contact_teacher=request.user
        )
    except BookingError as exc:
        messages.error(request, str(exc))
        return redirect("bookings:my_school")
    if booking.state == BookingState.CONFIRMED:  # the date is confirmed on booking
        messages.success(request, _("The place is yours. Your booking is confirmed."))
    else:
        messages.success(
            request, _("The place is yours. The association has been asked to confirm.")
        )
    return redirect("bookings:detail", booking.pk)


@login_required
@require_POST
def leave_waiting_list(request, pk):
    schools = [m.school_id for m in request.user.active_school_memberships]
    entry = get_object_or_404(WaitingListEntry, pk=pk, school_id__in=schools)
    services.withdraw_waiting(entry)
    messages.success(request, _("You have left the waiting list."))
    return redirect("bookings:my_school")


# --- Occasions (association members) ------------------------------------------------------


@login_required
def occasions(request, offer_pk):
    offer = offer_for_member(request.user, offer_pk)
    form = OccasionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        occasion = form.save(commit=False)
        occasion.offer = offer
        try:
            services.add_occasion(
                occasion, form.cleaned_data["extra_sessions"], form.cleaned_data["submit_key"]
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            tell_once(request, messages.SUCCESS, _("The date has been added."))
            return redirect("bookings:occasions", offer.pk)
    return render(
        request,
        "bookings/occasions.html",
        {
            "offer": offer,
            "form": form,
            "occasions": offer.occasions.filter(is_cancelled=False).prefetch_related("sessions"),
        },
    )


@login_required
def occasion_edit(request, pk):
    occasion = occasion_for_member(request.user, pk)
    initial = {
        "extra_sessions": "\n".join(
            f"{timezone.localtime(s.starts_at):%d.%m.%Y %H:%M}-"
            f"{timezone.localtime(s.ends_at):%H:%M}"
            for s in occasion.sessions.all()
        )
    }
    form = OccasionForm(request.POST or None, instance=occasion, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_occasion(form.instance, form.cleaned_data["extra_sessions"])
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The date has been saved."))
            return redirect("bookings:occasions", occasion.offer_id)
    return render(
        request,
        "bookings/occasion_form.html",
        {"occasion": occasion, "form": form, "cancel_form": CancelForm()},
    )


@login_required
@require_POST
def occasion_cancel(request, pk):
    occasion = occasion_for_member(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the cancellation."))
        return redirect("bookings:occasion_edit", pk)
    try:
        services.cancel_occasion(occasion, user=request.user, reason=form.cleaned_data["note"])
    except BookingError as exc:
        messages.error(request, str(exc))
        return redirect("bookings:occasion_edit", pk)
    messages.success(request, _("The date has been cancelled and the schools told."))
    return redirect("bookings:occasions", occasion.offer_id)


# --- Consultant ---------------------------------------------------------------------------


def _consultant_municipality(user):
    municipality = user.consultant_municipality if user.is_authenticated else None
    if municipality is None:
        raise Http404
    return municipality


@login_required
def pool(request):
    municipality = _consultant_municipality(request.user)
    form = SubsidyPoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = form.save(commit=False)
        new.municipality = municipality
        try:
            services.open_pool(new)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The subsidy pool has been opened."))
            return redirect("bookings:pool")
    return _pool_page(request, municipality, form)


def _amount_form(pool, data=None) -> PoolAmountForm:
    # A prefix per pool: the page shows one such form for each, with ids of its own.
    return PoolAmountForm(data, prefix=f"pool{pool.pk}", initial={"amount": pool.amount})


def _pool_page(request, municipality, form, sent=None):
    """The municipality's pools with their figures and a form to change each one's amount
    (``sent``: the one just sent, with its errors, by its pool's id), then the form to open
    a pool."""
    sent = sent or {}
    pools = SubsidyPool.objects.for_municipality(municipality)
    rows = [
        (p, services.pool_figures_by_school(p), sent.get(p.pk) or _amount_form(p)) for p in pools
    ]
    return render(request, "bookings/pool.html", {"rows": rows, "form": form})


@login_required
@require_POST
def pool_amount(request, pk):
    municipality = _consultant_municipality(request.user)
    pool = get_object_or_404(SubsidyPool.objects.for_municipality(municipality), pk=pk)
    form = _amount_form(pool, request.POST)
    if form.is_valid():
        try:
            services.change_amount(pool, form.cleaned_data["amount"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The pool's amount has been changed."))
            return redirect(reverse("bookings:pool") + f"#pool-{pool.pk}")
    return _pool_page(request, municipality, SubsidyPoolForm(), sent={pool.pk: form})


#: Rows per page of each of the consultant's lists (a large municipality has thousands).
CONSULTANT_PAGE_SIZE = 50


@login_required
def consultant_overview(request):
    municipality = _consultant_municipality(request.user)
    bookings = (
        Booking.objects.for_municipality(municipality)
        .select_related("offer__association", "school")
        .order_by("starts_at", "pk")
    )
    evaluations = (
        Evaluation.objects.filter(booking__school__municipality=municipality)
        .select_related("booking__offer__association", "booking__school")
        .order_by("-created_at", "-pk")
    )
    lists = {}
    for name, queryset in (
        ("waiting", bookings.waiting()),
        ("upcoming", bookings.upcoming()),
        ("evaluations", evaluations),
    ):
        param = f"{name}_page"  # each list turns its own pages, keeping the others'
        query = request.GET.copy()
        query.pop(param, None)
        page = Paginator(queryset, CONSULTANT_PAGE_SIZE).get_page(request.GET.get(param))
        lists[name] = {"page": page, "param": param, "query": query.urlencode()}
    average = evaluations.aggregate(a=Avg("rating"))["a"]
    return render(request, "bookings/consultant.html", {**lists, "average": average})


# --- Calendars ----------------------------------------------------------------------------


def _own_bookings(user):
    schools = [m.school_id for m in user.active_school_memberships]
    associations = [m.association_id for m in user.association_memberships]
    return (
        Booking.objects.filter(
            Q(school_id__in=schools)
            | Q(offer__association_id__in=associations, sent_to_association=True)
        )
        .select_related("offer__association", "school", "occasion")
        .prefetch_related("occasion__sessions")
    )


@login_required
@require_safe
def my_ics(request):
    return _ics_response(ical.bookings_calendar(_own_bookings(request.user)), "bookings.ics")


@require_safe
def feed(request, token):
    feed = CalendarFeed.objects.filter(token=token).select_related("school", "association")
    feed = feed.first()
    if feed is None:
        raise Http404
    bookings = services.feed_bookings(feed)
    return _ics_response(ical.bookings_calendar(bookings), "calendar.ics", attachment=False)


def _ics_response(data: bytes, filename: str, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def feed_manage(request, kind, pk, action):
    if kind == "school":
        owner = {"school": school_for(request.user, pk)}
        back = reverse("bookings:my_school") + f"?school={pk}"
    elif kind == "association":
        owner = {"association": association_for(request.user, pk)}
        default = reverse("bookings:my_association_bookings", args=[pk])
        back = local_url(request, request.POST.get("next", ""), default)
    else:
        raise Http404
    if action == "regenerate":
        services.regenerate_feed(**owner)
        messages.success(request, _("A new calendar address has been made. The old one stopped."))
    elif action == "revoke":
        CalendarFeed.objects.filter(**owner).delete()
        messages.success(request, _("The calendar address has been revoked."))
    else:
        raise Http404
    return HttpResponseRedirect(back)


@login_required
def my_association_bookings(request, pk):
    association = association_for(request.user, pk)
    return render(request, "bookings/association_bookings.html", {"association": association})
