"""Who sees an event and for which parties a person may answer it. Views find an event only
through ``event_for`` (404 to strangers: other municipalities never learn it exists).

- An invite-only event: the partners of an invited partnership: members of its association
  and staff of its schools.
- An open event (knowledge sharing): also every approved school staff member of a school of
  the municipality and every member of an association offering in it.
- The municipality's consultants see every event of their municipality.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from associations.models import Association
from portal.ids import client_pk

from .models import EventAudience, NetworkEvent, Registration


def user_associations(user) -> list[Association]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [m.association for m in user.association_memberships]


def user_schools(user) -> list:
    if not getattr(user, "is_authenticated", False):
        return []
    return [m.school for m in user.active_school_memberships]


def parties_for(user, event: NetworkEvent) -> list:
    """The associations and schools the user may answer this event for: the partners of an
    invited partnership (its association, its schools), and for an open event every
    association offering in the municipality and every school of it."""
    associations, schools = user_associations(user), user_schools(user)
    invitations = event.invitations.all()
    invited = set(
        invitations.filter(partnership__association__in=associations).values_list(
            "partnership__association_id", flat=True
        )
    )
    invited_schools = set(
        invitations.filter(partnership__schools__in=schools).values_list(
            "partnership__schools", flat=True
        )
    )
    if event.is_open:
        invited |= set(
            Association.objects.live()
            .filter(pk__in=[a.pk for a in associations], municipalities=event.municipality)
            .values_list("pk", flat=True)
        )
        invited_schools |= {s.pk for s in schools if s.municipality_id == event.municipality_id}
    return [a for a in associations if a.pk in invited] + [
        s for s in schools if s.pk in invited_schools
    ]


def is_consultant_of(user, event: NetworkEvent) -> bool:
    municipality = getattr(user, "consultant_municipality", None) if user.is_authenticated else None
    return municipality is not None and municipality.pk == event.municipality_id


def visible_events(user):
    """Every event the user may see: invitations of their associations, open events of their
    schools' and associations' municipalities, and a consultant's own municipality's."""
    if not getattr(user, "is_authenticated", False):
        return NetworkEvent.objects.none()
    associations, schools = user_associations(user), user_schools(user)
    municipalities = {s.municipality_id for s in schools}
    municipalities |= set(
        Association.objects.live()
        .filter(pk__in=[a.pk for a in associations])
        .values_list("municipalities", flat=True)
    )
    municipalities.discard(None)
    consultant_of = getattr(user, "consultant_municipality", None)
    seen = Q(pk__in=NetworkEvent.objects.invited(associations, schools).values("pk")) | Q(
        audience=EventAudience.OPEN, municipality__in=municipalities
    )
    if consultant_of is not None:
        seen |= Q(municipality=consultant_of)
    events = NetworkEvent.objects.filter(seen)
    return events.distinct()


def event_for(user, event_id) -> tuple[NetworkEvent, list]:
    """The event and the parties the user may answer it for; 404 for anyone who may not see
    it."""
    event = NetworkEvent.objects.select_related("municipality").filter(pk=client_pk(event_id))
    event = event.first()
    if event is None or not user.is_authenticated:
        raise Http404
    parties = parties_for(user, event)
    if not parties and not is_consultant_of(user, event):
        raise Http404
    return event, parties


def registration_for(user, event: NetworkEvent, parties: list, registration_id) -> Registration:
    """A sign-up of one of the user's parties for this event; 404 otherwise."""
    registration = event.registrations.filter(pk=client_pk(registration_id)).first()
    if registration is None or registration.party not in parties:
        raise Http404
    return registration
