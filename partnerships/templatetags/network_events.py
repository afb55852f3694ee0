"""Network meetings and open events on other pages, without those pages' apps knowing them.

- ``{% upcoming_open_events municipality as events %}``: the municipality's upcoming events
  open to every school and association (``NetworkEvent.objects.upcoming_open``), for the
  knowledge bank (``/knowledge/``) and the schools' pages.
- ``{% open_events municipality user %}``: the same as a short list with a link to
  ``/events/``, only the events this user may open (not to a signed-in visitor with no school
  or association there, whose link would end in a 404).
- ``{% school_events school %}``: the school's invitations and open events, on "My school".
- ``{% association_event_invitations association %}``: the partner's invitations and the
  open events of its municipalities with its answers, on its partnerships page and (only
  when there is one) on "My association".
"""

from django import template
from django.utils import timezone

from portal import fragments

from ..network import access
from ..network.models import NetworkEvent, Registration

register = template.Library()


@register.simple_tag
def upcoming_open_events(municipality, limit=5):
    events = NetworkEvent.objects.upcoming_open(municipality)
    return events if limit is None else events[:limit]


@register.inclusion_tag("partnerships/network/_open_events.html")
def open_events(municipality, user, limit=5):
    events = upcoming_open_events(municipality, limit=None).filter(
        pk__in=access.visible_events(user).values("pk")
    )
    return {"events": list(events[:limit])}


@register.inclusion_tag("partnerships/network/_invitations.html", takes_context=True)
def school_events(context, school, always=False, limit=10):
    """The school's invitations (through its partnerships) and the municipality's open
    events, each with the school's answer; nothing when there is none. In the cached part of
    "My school" (its invalidation: ``partnerships.caching``), valid until one of them ends."""
    events = NetworkEvent.objects.invited(schools=[school]) | NetworkEvent.objects.upcoming_open(
        school.municipality
    )
    events = list(events.upcoming(timezone.now()).order_by("starts_at")[:limit])
    _answers(events, school=school)
    fragments.expires_at(context, min((event.ends_at for event in events), default=None))
    return {"events": events, "always": always}


def _answers(events, **party):
    if not events:  # most pages list none: building the empty query cost ≈ 1,200 calls
        return
    answers = {
        r.event_id: r
        for r in Registration.objects.active().filter(event__in=[e.pk for e in events], **party)
    }
    for event in events:
        event.answer = answers.get(event.pk)


@register.inclusion_tag("partnerships/network/_invitations.html")
def association_event_invitations(association, always=True):
    """The association's upcoming invitations and the open events of its municipalities,
    each with its answer; with ``always=False`` nothing when there is none."""
    invited = NetworkEvent.objects.invited([association])
    open_here = NetworkEvent.objects.open().filter(
        municipality__in=association.municipalities.all()
    )
    events = list((invited | open_here).upcoming(timezone.now()).order_by("starts_at")[:20])
    _answers(events, association=association)
    return {"events": events, "always": always}
