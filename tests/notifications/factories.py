"""Bookings as the reminder scan sees them (built directly: the scan only reads them)."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from bookings.models import Booking
from bookings.states import BookingState
from tests import factories as f


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    offer = factory.SubFactory(f.OfferFactory, published=True)
    school = factory.SubFactory(f.SchoolFactory)
    requested_by = factory.SubFactory(f.UserFactory)
    contact_teacher = factory.SelfAttribute("requested_by")
    state = BookingState.CONFIRMED
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    answer_deadline = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=3))
    classes = "5.A"
    grade = 5
    pupils = 24
    places = 1


def at(day_offset: int, hour: int = 10, minute: int = 0) -> datetime:
    """A local time ``day_offset`` days from today."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
