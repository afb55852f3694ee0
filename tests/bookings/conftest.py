import threading
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.utils import timezone

from bookings import services
from bookings.models import Occasion
from bookings.schoolyear import holiday_on
from tests import factories as f


def school_day(days_ahead: int = 30, hour: int = 10) -> datetime:
    """An aware datetime on a weekday outside the school holidays, at least days_ahead away."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5 or holiday_on(day, 7) or holiday_on(day, 8):
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters are keyed by user id, and ids repeat between test runs."""
    cache.clear()


@pytest.fixture
def occasion(published_offer):
    published_offer.on_request = False
    published_offer.save()
    start = school_day(30)
    return Occasion.objects.create(
        offer=published_offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
    )


def make_booking(teacher, school, offer, occasion=None, **kwargs):
    data = {
        "classes": "5.A",
        "class_count": 1,
        "grade": 5,
        "pupils": 24,
        "contact_teacher": teacher,
    }
    data.update(kwargs)
    if occasion is None and "preferred" not in data:
        start = school_day(40)
        data["preferred"] = [(start, start + timedelta(hours=2))]
    return services.request_booking(
        user=teacher, school=school, offer=offer, occasion=occasion, **data
    )


@pytest.fixture
def booking(teacher, school, occasion):
    return make_booking(teacher, school, occasion.offer, occasion)


@pytest.fixture
def request_booking(teacher, school, association):
    offer = f.OfferFactory(association=association, published=True, on_request=True)
    return make_booking(teacher, school, offer)


@pytest.fixture
def hourly_offer(association):
    """Booked on request, 300 DKK per instructor hour, one-hour sessions."""
    return f.OfferFactory(
        association=association,
        published=True,
        on_request=True,
        price_model="hourly",
        price_amount=Decimal("300"),
        duration_minutes=60,
    )


def request_form(school, teacher, *dates, **changes):
    """The booking form as a teacher fills it in for an on-request offer: class 7.B, 25
    pupils, six sessions, the given preferred dates (one school day by default)."""
    dates = dates or (school_day(20),)
    data = {f"preferred_{n}": d.strftime("%Y-%m-%dT%H:%M") for n, d in enumerate(dates, 1)}
    data.update(
        school=school.pk,
        sessions=6,
        classes="7.B",
        class_count=1,
        grade=7,
        pupils=25,
        contact_teacher=teacher.pk,
    )
    return {**data, **changes}


def run_concurrently(n, work):
    """Run ``work(i)`` for i in 0..n-1 in n threads that start together (each with its own
    database connection); the results, or the exceptions raised, in the order they ended."""
    barrier = threading.Barrier(n)
    results = []
    lock = threading.Lock()

    def run(i):
        close_old_connections()
        try:
            barrier.wait()
            outcome = work(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted
            outcome = exc
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
