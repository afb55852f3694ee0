"""The demo's network meeting and knowledge-sharing event (issues 21 and 22): a network
meeting for every partner in three weeks, in a small room, with the rowing club signed up and
a school on the waiting list; and a knowledge-sharing event open to every school and
association of the municipality, with one school signed up."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from associations.models import Association
from municipalities.models import Municipality
from partnerships.network import services
from partnerships.network.models import EventAudience, NetworkEvent
from schools.models import School

from . import data


def _at(day, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def create_network_events(municipality: Municipality, today) -> None:
    if NetworkEvent.objects.for_municipality(municipality).exists():
        return
    consultant = User.objects.get(email=data.CONSULTANT["email"])
    for title, kind, audience, days, hours, place, capacity, description in data.NETWORK_EVENTS:
        day = today + timedelta(days=days)
        while day.weekday() >= 5:  # a weekday
            day += timedelta(days=1)
        event = NetworkEvent.objects.create(
            municipality=municipality,
            kind=kind,
            audience=audience,
            title=title,
            description=description,
            starts_at=_at(day, hours[0]),
            ends_at=_at(day, hours[1]),
            place=place,
            capacity=capacity,
            created_by=consultant,
        )
        if audience == EventAudience.INVITED:
            services.invite(event, everyone=True)
        for email, party_slug, participants in data.NETWORK_SIGN_UPS[title]:
            party = Association.objects.live().filter(
                slug=party_slug
            ).first() or School.objects.get(slug=party_slug)
            services.register(
                event, party, user=User.objects.get(email=email), participants=participants
            )
