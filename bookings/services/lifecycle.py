"""A booking from request to completion: the request, every transition (lock, re-check,
record, e-mail on commit), messages and evaluations."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.submitkeys import sent_before
from schools.staff import is_leader_of

from ..models import (
    Booking,
    BookingEvent,
    BookingMessage,
    Evaluation,
    Occasion,
    WaitingListEntry,
)
from ..states import (
    OPEN_STATES,
    Actor,
    BookingError,
    BookingState,
    BookingTransition,
    TransitionNotAllowed,
    target_state,
)
from . import approval, waiting
from .emails import notify_association, notify_both, notify_school
from .pricing import quote, release_subsidy, reserve_subsidy
from .rules import (
    answer_deadline_for,
    change_reserved,
    places_for,
    validate_dates,
    validate_group,
)

B = BookingState
T = BookingTransition


# --- Requests -----------------------------------------------------------------------------


class OccasionFull(BookingError):
    pass


def _take_places(occasion: Occasion, offer, more: int, now: datetime):
    """Reserve ``more`` places on the occasion under its row lock; returns the places it
    now holds for the booking, its start, end, number of sessions and whether the date is
    confirmed on booking."""
    occ = Occasion.objects.select_for_update().get(pk=occasion.pk)
    if occ.offer_id != offer.pk:
        raise BookingError(_("This date belongs to another offer."))
    if occ.is_cancelled or occ.starts_at <= now:
        raise BookingError(_("This date can no longer be booked."))
    if occ.awaits_allocation:
        raise BookingError(_("Requests for this date are allocated at the deadline."))
    if more > occ.free:
        raise OccasionFull(_("There are not enough free places left on this date."))
    change_reserved(occ.pk, more, offer)
    return more, occ.starts_at, occ.ends_at, occ.session_count, occ.confirm_on_booking


def _check_preferred(offer, preferred, school, now: datetime) -> None:
    """A request without a fixed date names one to three future school days in the offer's
    season."""
    if not offer.on_request:
        raise BookingError(_("Choose one of the offer's dates."))
    if not preferred or len(preferred) > 3:
        raise BookingError(_("Give one to three preferred dates."))
    if any(start <= now for start, _end in preferred):
        raise BookingError(_("The preferred dates must be in the future."))
    validate_dates(preferred, [school.municipality], offer)


def request_booking(
    *,
    user,
    school,
    offer,
    occasion: Occasion | None = None,
    preferred: list[tuple[datetime, datetime]] | None = None,
    classes: str,
    class_count: int,
    grade: int,
    pupils: int,
    contact_teacher,
    special_needs: str = "",
    message: str = "",
    sessions: int = 1,
    held_places: int = 0,
    submit_key: uuid.UUID | None = None,
) -> Booking:
    """A school's request. Books an occasion's places in the same transaction (or fails).
    One the municipality wants a school leader to approve waits for the leader, holding its
    places (``approval``); a date confirmed on booking confirms it at once
    (``_announce_request``). ``submit_key``: the same form sent again gets the booking it
    made the first time, and reserves nothing."""
    validate_group(offer, grade, pupils, class_count)
    now = timezone.now()
    group = {"classes": classes, "class_count": class_count, "grade": grade, "pupils": pupils}
    try:
        with transaction.atomic():
            when, at_once = _when(
                occasion, offer, preferred, school, group, held_places, sessions, now
            )
            # The form's preview, for the date (the pool is the date's school year's).
            start, count = when["starts_at"], when["sessions"]
            split = quote(offer, school, start, pupils=pupils, sessions=count, classes=class_count)
            awaits = approval.needs_approval(user, school, split.school)
            booking = Booking.objects.create(
                offer=offer,
                occasion=occasion,
                school=school,
                requested_by=user,
                contact_teacher=contact_teacher,
                state=B.AWAITING_APPROVAL if awaits else B.REQUESTED,
                sent_to_association=not awaits,
                special_needs=special_needs,
                message=message,
                # The expected shares; the pool is reserved when the association confirms.
                price_total=split.price,
                municipality_share=split.municipality,
                school_share=split.school,
                submit_key=submit_key,
                **when,
                **group,
            )
            record(booking, user=user, actor=Actor.SCHOOL, to_state=booking.state, note=message)
            booking = _announce_request(booking, at_once)
    except (IntegrityError, BookingError):
        if (booking := sent_before(Booking, submit_key, requested_by=user)) is None:
            raise
    return booking


def _when(occasion, offer, preferred, school, group, held_places, sessions, now):
    """The request's date, places and sessions: the occasion's (its places reserved under
    its row lock, counting the places the school already holds) or the preferred dates';
    and whether the date is confirmed on booking."""
    at_once = False
    if occasion is not None:
        wanted = places_for(occasion, group["class_count"], group["pupils"]) - held_places
        places, starts_at, ends_at, sessions, at_once = _take_places(occasion, offer, wanted, now)
        places += held_places
        preferred_json = []
    else:
        _check_preferred(offer, preferred, school, now)
        places = 0
        starts_at, ends_at = preferred[0]
        preferred_json = [[s.isoformat(), e.isoformat()] for s, e in preferred]
    return {
        "answer_deadline": answer_deadline_for(school.municipality, starts_at, now),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "preferred_dates": preferred_json,
        "places": places,
        "sessions": sessions,
    }, at_once


def _confirm_on_booking(booking: Booking) -> Booking:
    """Confirm a booking of a date the association confirms on booking, as the association
    would."""
    return transition(
        booking,
        T.CONFIRM,
        actor=Actor.ASSOCIATION,
        note=_("Confirmed on booking: the association confirms this date's bookings at once."),
    )


def confirm_allocated(booking: Booking) -> Booking:
    """Confirm places won in a date's fair allocation, as the association would: by
    offering the date for allocation it agreed to the draw's winners."""
    return transition(
        booking, T.CONFIRM, actor=Actor.ASSOCIATION, note=_("Allocated fairly at the deadline.")
    )


def _announce_request(booking: Booking, confirm_at_once: bool = False) -> Booking:
    """Ask the school's leaders, or the association; or, on a date confirmed on booking
    (``Occasion.confirm_on_booking``, ``confirm_at_once``), confirm the request in its own
    transaction through the one confirmation there is (``transition``: the pool's share, the
    event, the confirmation e-mails; no request e-mail)."""
    if booking.state == B.AWAITING_APPROVAL:
        approval.ask_leaders(booking)
    elif confirm_at_once:
        return _confirm_on_booking(booking)
    else:
        # The key holds the new booking's id: no e-mail has it yet.
        notify_association(booking, "booking_requested", "requested", new_key=True)
    return booking


def record(booking, *, user, actor, transition="", from_state="", to_state="", note=""):
    return BookingEvent.objects.create(
        booking=booking,
        actor=user,
        actor_role=actor,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


# --- The lifecycle -----------------------------------------------------------------------


def can_cancel(booking: Booking, actor: str, now: datetime | None = None) -> bool:
    """Either side until the cut-off before the date; later only the consultant."""
    if booking.state not in OPEN_STATES:
        return False
    if actor == Actor.CONSULTANT:
        return True
    now = now or timezone.now()
    cutoff = booking.starts_at - timedelta(
        days=booking.school.municipality.cancellation_cutoff_days
    )
    return now < cutoff


def _prepare_approval(locked: Booking, name: str, *, user, note, now) -> None:
    """Only a leader of the booking's school decides, and says why when not approving.
    Approved, the request reaches the association with its full time to answer."""
    if not is_leader_of(user, locked.school):
        raise TransitionNotAllowed(
            _("Only a principal or department head of the school can approve the booking.")
        )
    if name == T.DISAPPROVE and not note.strip():
        raise BookingError(_("Tell the teacher why the booking is not approved."))
    if name == T.APPROVE:
        if locked.starts_at <= now:
            raise BookingError(_("The date has passed."))
        locked.sent_to_association = True
        locked.answer_deadline = answer_deadline_for(locked.school.municipality, locked.starts_at)


def _prepare(locked: Booking, name: str, *, actor, note, starts_at, ends_at, now) -> None:
    """Check the rules of one transition on the locked booking and set the dates it
    changes. Raises BookingError when the transition is refused."""
    if name == T.CANCEL:
        if not note.strip():
            raise BookingError(_("Give a reason for the cancellation."))
        if not can_cancel(locked, actor, now):
            raise BookingError(
                _("It is too close to the date to cancel here. Contact the consultant.")
            )
    if name == T.EXPIRE and locked.answer_deadline > now:
        raise BookingError(_("The answer deadline has not passed yet."))
    if name == T.COMPLETE and locked.ends_at > now:
        raise BookingError(_("It has not taken place yet."))
    if name == T.CONFIRM and locked.occasion_id is None and locked.preferred_dates:
        # Compared as moments, not as text: a start read back from the database is in UTC,
        # the stored preferred dates keep the offset they were given with (local time).
        chosen = starts_at or datetime.fromisoformat(locked.preferred_dates[0][0])
        match = [p for p in locked.preferred_dates if datetime.fromisoformat(p[0]) == chosen]
        if not match:
            raise BookingError(_("Choose one of the school's preferred dates."))
        locked.starts_at = datetime.fromisoformat(match[0][0])
        locked.ends_at = datetime.fromisoformat(match[0][1])
    if name == T.CONFIRM and locked.starts_at <= now:
        raise BookingError(_("The date has passed."))
    if name == T.PROPOSE_ALTERNATIVE:
        if starts_at is None or ends_at is None or ends_at <= starts_at or starts_at <= now:
            raise BookingError(_("Give a future start and end for the new date."))
        validate_dates([(starts_at, ends_at)], [locked.school.municipality], locked.offer)
        locked.proposed_starts_at, locked.proposed_ends_at = starts_at, ends_at
        locked.answer_deadline = answer_deadline_for(locked.school.municipality, starts_at, now)
    if name == T.ACCEPT_ALTERNATIVE:
        if locked.proposed_starts_at <= now:
            raise BookingError(_("The proposed date has passed."))
        if locked.occasion_id:
            # Another date, not another place: the booking keeps the occasion's place.
            locked.place = locked.occasion.place
            _release_places(locked)
            locked.occasion = None
        locked.starts_at, locked.ends_at = locked.proposed_starts_at, locked.proposed_ends_at


def transition(
    booking: Booking,
    name: str,
    *,
    user=None,
    actor: str,
    note: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Booking:
    """Perform one transition from the table in ``states``. Raises BookingError if refused."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update()
            .select_related("offer__association", "school__municipality")
            .get(pk=booking.pk)
        )
        current = locked.state
        target = target_state(name, current, actor)
        if actor == Actor.LEADER:
            _prepare_approval(locked, name, user=user, note=note, now=now)
        _prepare(
            locked, name, actor=actor, note=note, starts_at=starts_at, ends_at=ends_at, now=now
        )

        if target in (B.NOT_APPROVED, B.DECLINED, B.EXPIRED, B.CANCELLED):
            _release_places(locked)
            release_subsidy(locked)
        if target == B.CONFIRMED:
            locked.confirmed_at = now
            reserve_subsidy(locked)
        if target == B.COMPLETED:
            release_subsidy(locked, spend=True)
        if name == T.CANCEL:
            locked.cancel_reason = note

        locked.state = target
        locked.save()
        record(
            locked,
            user=user,
            actor=actor,
            transition=name,
            from_state=current,
            to_state=target,
            note=note,
        )
        if name == T.APPROVE and _confirmed_on_booking(locked):
            # Approved, it is a request within the date's places: confirmed at once, and
            # the association hears of the confirmation only.
            notify_both(locked, name, note=note, association=False)
            locked = _confirm_on_booking(locked)
        elif name == T.APPROVE and _won_in_the_draw(locked):
            notify_both(locked, name, note=note, association=False)
            locked = confirm_allocated(locked)
        else:
            _tell(locked, name, note)
    return locked


def _confirmed_on_booking(booking: Booking) -> bool:
    return bool(booking.occasion_id) and booking.occasion.confirm_on_booking


def _won_in_the_draw(booking: Booking) -> bool:
    """Its places were won in the date's fair allocation: the draw ranks those that did not
    win, and a place freed later is offered (``offered_at``) to an entry before it is booked."""
    return WaitingListEntry.objects.filter(
        booking=booking, for_allocation=True, rank=None, offered_at=None
    ).exists()


def _tell(booking: Booking, name: str, note: str) -> None:
    """The e-mails of a transition. A booking the association never received (waiting for,
    or refused by, the school's leader) is news for the school only."""
    if name == T.COMPLETE:
        notify_association(booking, "evaluation_request", "evaluate")
        notify_school(booking, "evaluation_request", "evaluate")
        return
    if name == T.APPROVE:
        notify_association(booking, "booking_requested", "requested")
    notify_both(booking, name, note=note, association=name != T.APPROVE)


def _release_places(booking: Booking) -> None:
    if not booking.occasion_id or not booking.places:
        return
    occ = Occasion.objects.select_for_update().get(pk=booking.occasion_id)
    change_reserved(occ.pk, -booking.places)
    booking.places = 0
    occasion_id = occ.pk
    transaction.on_commit(lambda: waiting.offer_freed_places(occasion_id))


def expire_overdue(now: datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    for pk in (
        Booking.objects.waiting().filter(answer_deadline__lte=now).values_list("pk", flat=True)
    ):
        try:
            transition(Booking(pk=pk), T.EXPIRE, actor=Actor.SYSTEM)
            count += 1
        except BookingError:
            continue  # answered meanwhile
    return count


def complete_past(now: datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    for pk in Booking.objects.filter(state=B.CONFIRMED, ends_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            transition(Booking(pk=pk), T.COMPLETE, actor=Actor.SYSTEM)
            count += 1
        except BookingError:
            continue
    return count


# --- Messages and evaluations -------------------------------------------------------------


def post_message(
    booking: Booking, *, user, side: str, body: str, submit_key: uuid.UUID | None = None
) -> BookingMessage:
    """Add a message to the booking's thread and e-mail the other side. The same form sent
    again (``submit_key``) gets the message it posted the first time, which may belong to
    another booking if the key was sent there: the caller shows the message's booking."""
    body = body.strip()
    if not body:
        raise BookingError(_("Write a message."))
    try:
        with transaction.atomic():
            message = BookingMessage.objects.create(
                booking=booking, author=user, author_side=side, body=body, submit_key=submit_key
            )
            context = {"message": message}
            if side == Actor.SCHOOL:
                notify_association(booking, "booking_message", f"message:{message.pk}", context)
            else:
                notify_school(booking, "booking_message", f"message:{message.pk}", context)
    except IntegrityError:
        if (message := sent_before(BookingMessage, submit_key, author=user)) is None:
            raise
    return message


def can_evaluate(booking: Booking, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return booking.state in (B.CONFIRMED, B.COMPLETED) and booking.starts_at <= now


def save_evaluation(
    booking: Booking, *, user, side: str, submit_key: uuid.UUID | None = None, **data
) -> Evaluation:
    """Create or change the side's evaluation of the booking (one per side).

    The row is unique per booking and side (bookings_evaluation_once): a second insert,
    even a simultaneous one, fails and finds the first row (``get_or_create``). The same
    form sent again by the same person (``submit_key``) leaves it as it is; a new form
    (another key) changes it.
    """
    if not can_evaluate(booking):
        raise BookingError(_("You can evaluate once the date has passed."))
    if side != Actor.ASSOCIATION:
        data.pop("pupils_joined", None)
    values = {"author": user, "submit_key": submit_key, **data}
    with transaction.atomic():
        evaluation, created = Evaluation.objects.select_for_update().get_or_create(
            booking=booking, side=side, defaults=values
        )
        sent_again = submit_key is not None and (evaluation.submit_key, evaluation.author_id) == (
            submit_key,
            user.pk,
        )
        if not created and not sent_again:
            for name, value in values.items():
                setattr(evaluation, name, value)
            evaluation.save()
    return evaluation
