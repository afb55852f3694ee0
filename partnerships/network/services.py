"""Every change of an event's invitations and sign-ups.

Sign-ups are decided under the event's row lock (``select_for_update``), as bookings reserve
an occasion's places: two parties asking for the last seats at the same moment are served
one after the other, and the second waits. The form's key (``portal.submitkeys``) makes a
double click count once. A cancelled seat goes to the first on the waiting list who fits,
who is e-mailed. Invitations are e-mailed once each (``emailed_at`` and the outbox's key).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from bookings import ics
from notifications import reminders as rules
from notifications.models import Notification, ReminderRule
from notifications.services import absolute_url, notify
from portal import generations
from portal.submitkeys import sent_before

from ..caching import municipality_lists
from ..models import LeisureInstitution, Partnership, PartnershipState
from .models import (
    EventInvitation,
    NetworkEvent,
    Registration,
    RegistrationState,
)

R = RegistrationState
INVITATION_KIND = "partnerships.event_invitation"
PLACE_KIND = "partnerships.event_place"
CANCELLED_KIND = "partnerships.event_cancelled"
MOVED_KIND = "partnerships.event_moved"
REMINDER_KIND = ReminderRule.Kind.NETWORK.value

#: The event's fields that those concerned are told of when they change (``move``).
WHEN_AND_WHERE = ("starts_at", "ends_at", "place")


# --- Invitations -------------------------------------------------------------------------


def invitable(municipality):
    """The partnerships a consultant may invite: the municipality's proposed and active."""
    return Partnership.objects.for_municipality(municipality).exclude(state=PartnershipState.ENDED)


@transaction.atomic
def invite(event: NetworkEvent, partnerships=None, *, everyone: bool = False) -> int:
    """Invite the chosen partnerships (or, with ``everyone``, every proposed and active one)
    of the event's municipality, and e-mail each one not e-mailed before. Returns the number
    of new invitations; inviting again adds only the missing ones."""
    if event.is_cancelled:
        return 0
    allowed = invitable(event.municipality)
    chosen = allowed if everyone else allowed.filter(pk__in=[p.pk for p in partnerships or []])
    already = set(event.invitations.values_list("partnership_id", flat=True))
    new = [EventInvitation(event=event, partnership=p) for p in chosen if p.pk not in already]
    EventInvitation.objects.bulk_create(new, ignore_conflicts=True)
    generations.bump(*municipality_lists(event.municipality_id))  # bulk_create sends no signal
    send_invitations(event)
    return len(new)


def send_invitations(event: NetworkEvent) -> int:
    """E-mail every invitation of the event not e-mailed yet, once."""
    sent = 0
    pending = (
        EventInvitation.objects.select_for_update(of=("self",))
        .filter(event=event, emailed_at__isnull=True)
        .order_by("pk")
        .select_related("partnership__association", "partnership__institution")
    )
    with transaction.atomic():
        for invitation in pending:
            p = invitation.partnership
            notify(
                kind=INVITATION_KIND,
                key=f"partnerships:event:{event.pk}:invitation:{p.pk}",
                to_email=p.resource_email,
                template="network_invitation",
                guard={"event": event.pk},
                context={
                    "recipient_name": p.resource_name,
                    "event": event,
                    "partner_name": str(p.partner),
                    # An institution has no accounts: it answers the contact person.
                    "by_contact": p.association_id is None,
                    "contact": p.contact,
                    "action_url": absolute_url(event.get_absolute_url()),
                },
            )
            invitation.emailed_at = timezone.now()
            invitation.save(update_fields=["emailed_at"])
            sent += 1
    return sent


# --- Sign-ups ----------------------------------------------------------------------------


def _party_filter(party) -> dict:
    if isinstance(party, Association):
        return {"association": party}
    if isinstance(party, LeisureInstitution):
        return {"institution": party}
    return {"school": party}


def _taken(event_id: int, exclude=None) -> int:
    rows = Registration.objects.filter(event_id=event_id, state=R.CONFIRMED)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.aggregate(n=Sum("participants"))["n"] or 0


def register(
    event: NetworkEvent,
    party,
    *,
    user,
    participants: int,
    submit_key: uuid.UUID | None = None,
) -> Registration:
    """Sign ``party`` (an association or a school the caller has checked the user may answer
    for, or an invited leisure institution that the consultant signs up) up for the event
    with a number of participants, or change the number of its sign-up. A seat when the room
    has room, else the waiting list. The same form sent again (``submit_key``) with the same
    number gets the sign-up it made the first time and changes nothing; with another number
    (back in the browser, a new number typed) the number is changed."""
    try:
        with transaction.atomic():
            return _register(event, party, user, participants, submit_key)
    except IntegrityError:
        if (first := sent_before(Registration, submit_key, registered_by=user)) is None:
            raise
        return first


def _register(event, party, user, participants, submit_key) -> Registration:
    locked = NetworkEvent.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        raise ValidationError(_("The event is cancelled."), code="cancelled")
    if locked.has_started():
        raise ValidationError(_("The event has begun: sign-up is closed."), code="closed")
    if participants > locked.capacity:
        raise ValidationError(
            _("The room holds %(n)d participants."), code="too_many", params={"n": locked.capacity}
        )
    existing = Registration.objects.active().filter(event=locked, **_party_filter(party)).first()
    if existing is None:
        free = locked.capacity - _taken(locked.pk)
        state = R.CONFIRMED if participants <= free else R.WAITING
        return Registration.objects.create(
            event=locked,
            registered_by=user,
            participants=participants,
            state=state,
            submit_key=submit_key,
            **_party_filter(party),
        )
    same_form = submit_key is not None and existing.submit_key == submit_key
    if same_form and existing.participants == participants:
        return existing  # the same form sent twice
    if existing.state == R.CONFIRMED:
        free = locked.capacity - _taken(locked.pk, exclude=existing)
        if participants > free:
            raise ValidationError(
                _(
                    "Only %(n)d seats are free. Sign up fewer, or cancel and sign up again to "
                    "wait for more seats."
                ),
                code="full",
                params={"n": free},
            )
    existing.participants = participants
    existing.registered_by = user
    existing.submit_key = submit_key
    existing.save(update_fields=["participants", "registered_by", "submit_key", "updated_at"])
    fill_free_seats(locked)
    return existing


def cancel(registration: Registration, *, by=None) -> Registration:
    """Cancel a sign-up (a second click finds it cancelled) and give the freed seats to the
    waiting list. The sign-up lets go of its form key: that form sent again (back in the
    browser) signs up anew instead of being answered with the cancelled sign-up."""
    with transaction.atomic():
        locked = NetworkEvent.objects.select_for_update().get(pk=registration.event_id)
        row = Registration.objects.select_for_update().get(pk=registration.pk)
        if row.state == R.CANCELLED:
            return row
        if locked.has_started():
            raise ValidationError(_("The event has begun: sign-up is closed."), code="closed")
        row.state, row.submit_key = R.CANCELLED, None
        row.save(update_fields=["state", "submit_key", "updated_at"])
        fill_free_seats(locked)
    registration.state = row.state
    return row


def fill_free_seats(locked: NetworkEvent) -> list[Registration]:
    """Move the waiting list up, in order, as far as the free seats go (a party that needs
    more seats than are free is passed over until there are enough). Call under the event's
    row lock. Each party moved up is e-mailed once."""
    if locked.has_started():
        return []
    free = locked.capacity - _taken(locked.pk)
    moved = []
    for row in Registration.objects.waiting_in_order().filter(event=locked):
        if free <= 0:
            break
        if row.participants > free:
            continue
        row.state = R.CONFIRMED
        row.save(update_fields=["state", "updated_at"])
        free -= row.participants
        moved.append(row)
        _tell_moved_up(locked, row)
    return moved


def _tell_moved_up(event: NetworkEvent, row: Registration) -> None:
    user = row.registered_by
    if user is None or not user.is_active or row.institution_id:
        return  # the consultant who signed an institution up sees it in the admin
    notify(
        kind=PLACE_KIND,
        key=f"partnerships:registration:{row.pk}:moved_up",
        to_email=user.email,
        user=user,
        template="network_place",
        guard={"event": event.pk},
        context=_sign_up_context(event, row, user),
    )


def _sign_up_context(event: NetworkEvent, row: Registration, user) -> dict:
    """What an e-mail to the user who signed a party up says (a freed seat, a reminder)."""
    return {
        "recipient_name": user.full_name,
        "event": event,
        "party_name": str(row.party),
        "participants": row.participants,
        "starts_at": timezone.localtime(event.starts_at),
        "action_url": absolute_url(event.get_absolute_url()),
    }


# --- Cancelling the whole event ------------------------------------------------------------


def cancel_event(event: NetworkEvent) -> int:
    """Cancel an event that has not begun: every sign-up ends, and each invited partner and
    each party signed up is e-mailed once. Cancelling again does nothing. Returns the number
    of e-mails queued."""
    with transaction.atomic():
        locked = NetworkEvent.objects.select_for_update().get(pk=event.pk)
        if locked.is_cancelled:
            return 0
        if locked.has_started():
            raise ValidationError(_("The event has begun: it can no longer be cancelled."))
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        signed_up = list(locked.registrations.active().select_related("registered_by"))
        locked.registrations.active().update(state=R.CANCELLED, updated_at=timezone.now())
        concerned = _concerned(locked, signed_up)
        for address, (name, _partnership) in concerned.items():
            _tell_cancelled(locked, address, name)
    event.cancelled_at = locked.cancelled_at
    return len(concerned)


def _concerned(event: NetworkEvent, signed_up: list[Registration]) -> dict[str, tuple]:
    """Who hears of a cancellation or a new time, one e-mail per address, with their name
    and, for a partner's resource person, the partnership: the invited partners' resource
    persons (those e-mailed an invitation) and the users who signed a party up."""
    people = {}
    invitations = event.invitations.filter(emailed_at__isnull=False).select_related(
        "partnership__contact"
    )
    for invitation in invitations.order_by("pk"):
        p = invitation.partnership
        people.setdefault(p.resource_email.lower(), (p.resource_name, p))
    for row in signed_up:
        user = row.registered_by
        if user is not None and user.is_active and not row.institution_id:
            people.setdefault(user.email.lower(), (user.full_name, None))
    return people


def _tell_cancelled(event: NetworkEvent, address: str, name: str) -> None:
    notify(
        kind=CANCELLED_KIND,
        key=f"partnerships:event:{event.pk}:cancelled:{address}",
        to_email=address,
        template="network_cancelled",
        guard={"event": event.pk},
        context={
            "recipient_name": name,
            "event": event,
            "starts_at": timezone.localtime(event.starts_at),
            "action_url": absolute_url(event.get_absolute_url()),
        },
    )


# --- A new time or place ---------------------------------------------------------------------


def moves(event: NetworkEvent, starts_at, ends_at, place: str) -> bool:
    """Whether these give ``event`` a new time or place as people read them: to the minute
    (the admin's form writes whole minutes; an event made by code may have seconds)."""

    def minute(moment):
        return moment.replace(second=0, microsecond=0)

    before = (minute(event.starts_at), minute(event.ends_at), event.place)
    return (minute(starts_at), minute(ends_at), place) != before


def check_move(event: NetworkEvent, starts_at) -> None:
    """Raise ValidationError unless ``event`` may get a new time or place starting at
    ``starts_at``: not once it has begun, and not to a time that has passed."""
    if event.has_started():
        raise ValidationError(_("The event has begun: its time and place can no longer change."))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("The time has passed: choose a later one.")})


def move(event: NetworkEvent, *, starts_at, ends_at, place: str) -> int:
    """Give ``event`` a new time or place (the caller checked ``check_move``) and tell each
    invited partner and each person who signed a party up once, with the event for their
    calendar (``sequence`` raised: the calendar updates it). Sign-ups stand. Decided under
    the event's row lock: the same change sent twice at once (a double click) is made and
    told once. What was queued for the old time is not sent: a reminder names the start it
    was queued for, the e-mail of an earlier move its ``sequence`` (``moved_still_wanted``).
    An event cancelled or begun since the caller checked stays as it is. ``event`` gets the
    row's time, place, sequence and cancellation; returns the number of e-mails queued."""
    with transaction.atomic():
        locked = NetworkEvent.objects.select_for_update().get(pk=event.pk)
        concerned = {}
        # Cancelled or begun since the form was checked: it stays as it is.
        settled = locked.is_cancelled or locked.has_started()
        if not settled and moves(locked, starts_at, ends_at, place):
            locked.starts_at, locked.ends_at, locked.place = starts_at, ends_at, place
            locked.sequence += 1
            locked.save(update_fields=[*WHEN_AND_WHERE, "sequence", "updated_at"])
            signed_up = list(locked.registrations.active().select_related("registered_by"))
            concerned = _concerned(locked, signed_up)
            for address, (name, partnership) in concerned.items():
                _tell_new_time(locked, address, name, partnership)
    for name in (*WHEN_AND_WHERE, "sequence", "cancelled_at"):
        setattr(event, name, getattr(locked, name))
    return len(concerned)


def _tell_new_time(event: NetworkEvent, address: str, name: str, partnership) -> None:
    # An institution has no accounts: its resource person tells the partnership's contact.
    by_contact = partnership is not None and partnership.association_id is None
    notify(
        kind=MOVED_KIND,
        key=f"partnerships:event:{event.pk}:moved:{event.sequence}:{address}",
        to_email=address,
        template="network_moved",
        guard={"event": event.pk, "sequence": event.sequence},
        context={
            "recipient_name": name,
            "event": event,
            "by_contact": by_contact,
            "contact": partnership.contact if by_contact else None,
            "action_url": absolute_url(event.get_absolute_url()),
        },
    )


def moved_still_wanted(notification: Notification) -> str:
    """ "" to send the news of a new time or place; otherwise why not (cancelled since, or
    moved again: the later e-mail tells the time that holds)."""
    guard = notification.guard or {}
    event = NetworkEvent.objects.filter(pk=guard.get("event")).first()
    if event is None or event.is_cancelled:
        return "the event is cancelled"
    if event.sequence != guard.get("sequence"):
        return "the event moved again"
    return ""


#: (code, label, still_wanted) of the e-mails about an event: every one is essential (it
#: tells of a seat, a time or a cancellation) and carries the event as an .ics file
#: (``event_ics``). Registered in PartnershipsConfig.ready.
KINDS = [
    (INVITATION_KIND, _("An invitation to a network meeting"), None),
    (PLACE_KIND, _("A seat became free at a meeting you wait for"), None),
    (
        MOVED_KIND,
        _("A network meeting you are invited to or signed up for has a new time or place"),
        moved_still_wanted,
    ),
    (CANCELLED_KIND, _("A network meeting you are invited to or signed up for is cancelled"), None),
]


@transaction.atomic
def change_capacity(event: NetworkEvent) -> list[Registration]:
    """After the consultant changed the room's size: the waiting list moves up if it can."""
    return fill_free_seats(NetworkEvent.objects.select_for_update().get(pk=event.pk))


# --- Reminders ------------------------------------------------------------------------------


def due_events(rule: ReminderRule, today):
    """The rule municipality's events, not cancelled, that start in the rule's window today."""
    lo, hi = rules.anchor_window(rule, today)
    return (
        NetworkEvent.objects.for_municipality(rule.municipality)
        .filter(cancelled_at__isnull=True, starts_at__gte=max(lo, timezone.now()), starts_at__lt=hi)
        .order_by("pk")
    )


def queue_reminders(rule: ReminderRule, event: NetworkEvent, today) -> list:
    """One reminder to the user who signed up each party with a seat (not those waiting: the
    seat may never come; institutions' sign-ups are the consultant's own)."""
    on = rules.instant(event.starts_at)
    days = abs((rules.local_date(event.starts_at) - max(today, timezone.localdate())).days)
    seated = event.registrations.filter(state=R.CONFIRMED, institution__isnull=True)
    queued = []
    for row in seated.select_related("registered_by", "association", "school").order_by("pk"):
        user = row.registered_by
        if user is None or not user.is_active or not user.email:
            continue
        notification = notify(
            kind=REMINDER_KIND,
            key=f"{REMINDER_KIND}:rule={rule.pk}:registration={row.pk}:on={on}",
            to_email=user.email,
            user=user,
            template=rule.template,
            context={**_sign_up_context(event, row, user), "days": days},
            deliver=False,
            guard={"event": event.pk, "on": on, "registration": row.pk},
        )
        if notification is not None:
            queued.append(notification)
    return queued


def scan_reminders(today=None) -> int:
    """Queue and send the network meeting reminders due today by the municipalities' rules;
    the number sent. Safe to run twice: the keys are unique."""
    today = today or timezone.localdate()
    sent = 0
    for rule in rules.active_rules([ReminderRule.Kind.NETWORK]):
        events = due_events(rule, today).iterator(chunk_size=rules.BATCH_SIZE)
        for batch in rules.batches(events, rules.BATCH_SIZE):
            queued = [n for event in batch for n in queue_reminders(rule, event, today)]
            sent += rules.send_batch(queued)
    return sent


def reminder_still_wanted(notification: Notification) -> str:
    """ "" to send a reminder; otherwise why not (the event cancelled or moved, the seat
    given up)."""
    guard = notification.guard or {}
    event = NetworkEvent.objects.filter(pk=guard.get("event")).first()
    if event is None or event.is_cancelled:
        return "the event is cancelled"
    if rules.instant(event.starts_at) != guard.get("on"):
        return "the event moved"
    if not Registration.objects.filter(pk=guard.get("registration"), state=R.CONFIRMED).exists():
        return "the sign-up has no seat now"
    return ""


# --- The event for a calendar ----------------------------------------------------------------


def event_ics(notification: Notification) -> list[tuple[str, bytes, str]]:
    """The event of an invitation, a freed seat, a new time or place or a cancellation as an
    ``.ics`` file, made when the e-mail is sent: a cancelled event's file removes it from the
    calendar."""
    event = NetworkEvent.objects.filter(pk=(notification.guard or {}).get("event")).first()
    if event is None:
        return []
    return [("moede.ics", calendar(event), "text/calendar; method=PUBLISH; charset=utf-8")]


def calendar(event: NetworkEvent) -> bytes:
    """The event in the bookings' calendar format, under the same UID every time (a calendar
    updates the event it has: moved, or cancelled)."""
    cal = ics.new_calendar("partnerships", str(event.municipality))
    ics.add_event(
        cal,
        uid=f"network-event-{event.pk}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        location=event.place,
        description=event.description,
        url=absolute_url(event.get_absolute_url()),
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        sequence=event.sequence,
    )
    return cal.to_ical()
