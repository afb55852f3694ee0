"""seed_scale builds a consistent data set: places held never exceed capacity, every state."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from associations.models import Offer
from bookings.models import Booking, BookingEvent, Occasion
from bookings.schoolyear import holiday_on
from bookings.states import BookingState
from devdata.scale.build import BATCH, MAX_PARAMETERS, batch_size


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command(
        "seed_scale",
        "--municipalities=2",
        "--schools=6",
        "--associations=20",
        "--offers=60",
        "--bookings=600",
        stdout=out,
    )
    return out.getvalue()


def test_bookings_are_realistic_and_places_consistent(seeded):
    assert "bookings:" in seeded  # progress is shown
    assert Booking.objects.count() == 600
    assert BookingEvent.objects.count() == 600
    states = set(Booking.objects.values_list("state", flat=True))
    assert {BookingState.COMPLETED, BookingState.CONFIRMED, BookingState.REQUESTED} <= states
    assert {BookingState.CANCELLED, BookingState.DECLINED} & states
    for occasion in Occasion.objects.all():
        held = occasion.bookings.aggregate(n=Sum("places"))["n"] or 0
        assert occasion.reserved == held <= occasion.capacity
    assert not Booking.objects.exclude(occasion=None).exclude(places__gte=0).exists()
    for booking in Booking.objects.filter(occasion=None)[:100]:
        assert booking.preferred_dates
        day = timezone.localtime(booking.starts_at).date()  # the school's day, not UTC's
        assert holiday_on(day) is None
        assert day.weekday() < 5
    # created_at is the request time, before the date (not the moment of seeding)
    assert not Booking.objects.filter(created_at__gt=timezone.now()).exists()


def test_batches_stay_within_postgresqls_parameter_limit():
    """A batch of 5,000 offers (40-odd columns each) is 200,000 parameters, and PostgreSQL
    refuses a statement with more than 65,535: seed_scale at national scale failed so."""
    for model in apps.get_models():
        assert batch_size(model) * len(model._meta.concrete_fields) <= MAX_PARAMETERS, model
    assert 1000 < batch_size(Offer) < BATCH


def test_dates_lie_in_their_offers_seasons(seeded):
    for occasion in Occasion.objects.select_related("offer"):
        assert occasion.offer.in_season(timezone.localtime(occasion.starts_at).date())
    for booking in Booking.objects.select_related("offer"):
        assert booking.offer.in_season(timezone.localtime(booking.starts_at).date()), booking.pk
