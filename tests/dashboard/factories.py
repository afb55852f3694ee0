"""Factories for the dashboard's hand-built data sets (bookings built directly, no services)."""

from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from bookings.models import Booking, Evaluation, SubsidyPool, WaitingListEntry
from tests import factories as f


def local(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    offer = factory.SubFactory(f.OfferFactory, published=True)
    school = factory.SubFactory(f.SchoolFactory)
    requested_by = factory.SubFactory(f.UserFactory)
    contact_teacher = factory.SelfAttribute("requested_by")
    state = "confirmed"
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    answer_deadline = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=7))
    classes = "5.A"
    grade = 5
    pupils = 24
    price_total = Decimal("0")


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    booking = factory.SubFactory(BookingFactory)
    side = "school"
    rating = 4


class SubsidyPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubsidyPool

    municipality = factory.SubFactory(f.MunicipalityFactory)
    school_year = 2025
    amount = Decimal("10000")


class WaitingListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WaitingListEntry

    occasion = factory.SubFactory(f.OccasionFactory)
    school = factory.SubFactory(f.SchoolFactory)
    requested_by = factory.SubFactory(f.UserFactory)
    places = 1
    classes = "4.B"
    grade = 4
    pupils = 24
