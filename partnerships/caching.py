"""What a change of a partnership or a network meeting makes stale: the cached part of "My
school" (``portal.fragments``), which counts the school's partnerships and lists its
invitations and the municipality's open meetings with the school's answers
(``{% school_partnerships_link %}``, ``{% school_events %}``). A partnership, its schools and
its meetings belong to one municipality: their changes bump that municipality's name, which
"My school" reads; a school's answer bumps that school's. Connected in
``PartnershipsConfig.ready()``; ``network.services.invite`` (``bulk_create``) bumps itself, and
``cancel_event``'s ``update()`` of the sign-ups goes with the event's own save."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from municipalities.models import Municipality
from portal import fragments, generations
from schools.caching import school_lists

from .models import Partnership
from .network.models import EventInvitation, NetworkEvent, Registration


def municipality_lists(municipality_id) -> list[str]:
    return [fragments.name(Municipality, municipality_id)]


def _invitation_changed(invitation: EventInvitation) -> list[str]:
    try:
        return municipality_lists(invitation.event.municipality_id)
    except ObjectDoesNotExist:  # deleted with its event, whose deletion bumps the name
        return []


def connect() -> None:
    # With its schools (many-to-many): a school added or removed sees the count change.
    generations.on_change(Partnership, lambda row: municipality_lists(row.municipality_id))
    generations.on_change(NetworkEvent, lambda event: municipality_lists(event.municipality_id))
    generations.on_change(EventInvitation, _invitation_changed)
    generations.on_change(
        Registration, lambda answer: school_lists(answer.school_id) if answer.school_id else []
    )
