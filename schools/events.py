"""A school's own events and the associations that offer to take part: the offer, the
school's answer (accepted or declined, with a message) and the thread between the two, with
their e-mails (kinds registered in ``SchoolsConfig.ready()``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.services import absolute_url, notify
from portal.submitkeys import sent_before

from .models import EventMessage, EventParticipation, EventSide, SchoolEvent
from .permissions import staff_schools

OFFERED_KIND = "event.offered"
ANSWERED_KIND = "event.answered"
MESSAGE_KIND = "event.message"

#: (code, label, essential, audience) of the e-mails below, registered by the app.
KINDS = [
    (
        OFFERED_KIND,
        _("An association offers to take part in our school's event"),
        False,
        kinds.SCHOOLS,
    ),
    (
        ANSWERED_KIND,
        _("A school answered our offer to take part in its event"),
        True,
        kinds.ASSOCIATIONS,
    ),
    (
        MESSAGE_KIND,
        _("A new message about taking part in a school's event"),
        False,
        kinds.BOOKING_PARTIES,
    ),
]

State = EventParticipation.State


class EventError(Exception):
    """A rule of the offer to take part was broken (the message tells the user which)."""


# --- Who is on which side --------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationAccess:
    participation: EventParticipation
    side: str  # EventSide


def participation_access(user, pk) -> ParticipationAccess:
    """The offer to take part for its event's school staff and the members of the
    association that offered it; 404 for everyone else (they learn nothing of it)."""
    participation = get_object_or_404(
        EventParticipation.objects.select_related(
            "event__school", "event__created_by", "association", "offer", "created_by"
        ),
        pk=pk,
    )
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if participation.event.school_id in {s.pk for s in staff_schools(user)}:
        return ParticipationAccess(participation, EventSide.SCHOOL)
    if participation.association.memberships.filter(user=user).exists():
        return ParticipationAccess(participation, EventSide.ASSOCIATION)
    raise Http404


# --- The school's events ---------------------------------------------------------------------


def add_school_event(event: SchoolEvent, submit_key: uuid.UUID | None = None) -> SchoolEvent:
    """Put a school's event (its school and ``created_by`` set) into its calendar. The same
    form sent again by the same person (``submit_key``) gets the event it added first."""
    event.submit_key = submit_key
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        if (first := sent_before(SchoolEvent, submit_key, created_by=event.created_by)) is None:
            raise
        return first
    return event


def offer_participation(
    event, *, association, user, offer, message: str, submit_key: uuid.UUID | None = None
) -> EventParticipation:
    """The association offers to take part in a school's event, or changes its offer while
    the school has not answered (one per event and association); the school is e-mailed.
    As for evaluations, the same form sent again by the same person (``submit_key``)
    changes nothing. Once answered, the offer stays as the school answered it."""
    values = {"offer": offer, "message": message, "created_by": user, "submit_key": submit_key}
    with transaction.atomic():
        participation, created = EventParticipation.objects.select_for_update().get_or_create(
            event=event, association=association, defaults=values
        )
        sent_again = submit_key is not None and (
            participation.submit_key,
            participation.created_by_id,
        ) == (submit_key, user.pk)
        if created or not (sent_again or participation.is_answered):
            for name, value in values.items():
                setattr(participation, name, value)
            participation.save()
            _notify(participation, EventSide.SCHOOL, OFFERED_KIND, "event_offered", submit_key)
    return participation


def decide(
    participation: EventParticipation,
    *,
    user,
    accept: bool,
    message: str = "",
    submit_key: uuid.UUID | None = None,
) -> EventParticipation:
    """The school accepts or declines the offer to take part, with a message to the
    association (e-mailed). It may change its mind later; the same answer form sent again
    (``submit_key``) changes nothing and sends nothing."""
    with transaction.atomic():
        row = EventParticipation.objects.select_for_update().get(pk=participation.pk)
        if submit_key is not None and (row.answer_key, row.answered_by_id) == (
            submit_key,
            user.pk,
        ):
            return row
        row.state = State.ACCEPTED if accept else State.DECLINED
        row.answer = message.strip()
        row.answered_by = user
        row.answered_at = timezone.now()
        row.answer_key = submit_key
        row.save(update_fields=["state", "answer", "answered_by", "answered_at", "answer_key"])
        event_key = submit_key or row.answered_at.isoformat()
        _notify(row, EventSide.ASSOCIATION, ANSWERED_KIND, "event_answered", event_key)
    return row


def post_message(
    participation: EventParticipation,
    *,
    user,
    side: str,
    body: str,
    submit_key: uuid.UUID | None = None,
) -> EventMessage:
    """Add a message to the thread of an offer to take part and e-mail the other side. The
    same form sent again (``submit_key``) gets the message it posted the first time, which
    may belong to another thread: the caller shows the message's thread."""
    body = body.strip()
    if not body:
        raise EventError(_("Write a message."))
    try:
        with transaction.atomic():
            message = EventMessage.objects.create(
                participation=participation,
                author=user,
                author_side=side,
                body=body,
                submit_key=submit_key,
            )
            other = EventSide.ASSOCIATION if side == EventSide.SCHOOL else EventSide.SCHOOL
            _notify(
                participation,
                other,
                MESSAGE_KIND,
                "event_message",
                f"message{message.pk}",
                message=message,
            )
    except IntegrityError:
        if (message := sent_before(EventMessage, submit_key, author=user)) is None:
            raise
    return message


def thread(participation: EventParticipation):
    return participation.messages.select_related("author")


# --- E-mail ----------------------------------------------------------------------------------


def _school_recipients(participation: EventParticipation) -> list:
    """The staff who added the event and who answered the offer, while they are staff of
    the school; the school's own address when neither is."""
    event = participation.event
    people = [p for p in (event.created_by, participation.answered_by) if p is not None]
    staff = [
        p
        for p in dict.fromkeys(people)
        if p.is_active and event.school_id in {s.pk for s in staff_schools(p)}
    ]
    if staff:
        return [(p.email, p, p.full_name) for p in staff]
    return [(event.school.email, None, event.school.name)]


def _association_recipients(participation: EventParticipation) -> list:
    """The member who offered (while a member) and the association's contact address."""
    association = participation.association
    recipients = []
    person = participation.created_by
    if (
        person is not None
        and person.is_active
        and association.memberships.filter(user=person).exists()
    ):
        recipients.append((person.email, person, person.full_name))
    if association.contact_email.lower() not in {r[0].lower() for r in recipients}:
        recipients.append((association.contact_email, None, association.contact_name))
    return recipients


def _notify(participation, to_side: str, kind: str, template: str, event_key, **extra) -> None:
    """One e-mail per recipient on ``to_side``, once per ``event_key``."""
    if to_side == EventSide.SCHOOL:
        recipients = _school_recipients(participation)
    else:
        recipients = _association_recipients(participation)
    for email, user, name in recipients:
        notify(
            kind=kind,
            key=f"schools:participation:{participation.pk}:{template}:{event_key}:{email}",
            to_email=email,
            user=user,
            template=template,
            context={
                "recipient_name": name,
                "participation": participation,
                "event": participation.event,
                "association_name": participation.association.name,
                "school_name": participation.event.school.name,
                "action_url": absolute_url(participation.get_absolute_url()),
                **extra,
            },
        )
