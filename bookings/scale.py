"""Bookings for the national-scale benchmark data (``seed_scale``) and the benchmark's POST.

``build_bookings`` bulk-creates realistic bookings: on-request dates and fixed occasions,
spread over last and this school year, in every state. Occasion bookings reserve places
(``Booking.places``) and ``Occasion.reserved`` is set from them afterwards in one UPDATE, so
it always equals the sum of the places held and never exceeds the capacity.

``bench_booking_post`` gives ``bench/targets.py`` the booking form's POST for one
on-request offer: each request creates one requested booking.
"""

from __future__ import annotations

import functools
import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection
from django.utils import timezone

from associations.models import Association, Offer
from schools.models import SchoolMembership

from .models import Booking, BookingEvent
from .schoolyear import holiday_on, school_year_bounds, school_year_of
from .services import expected_price
from .states import Actor, BookingState

BATCH = 5000
BENCH_MESSAGE = "Benchmark"  # marks the requests made by the benchmark's booking POST
B = BookingState

#: (state, weight) for bookings whose date has passed and for those still to come.
PAST_STATES = [(B.COMPLETED, 70), (B.CANCELLED, 12), (B.DECLINED, 10), (B.EXPIRED, 8)]
FUTURE_STATES = [
    (B.CONFIRMED, 50),
    (B.REQUESTED, 30),
    (B.ALTERNATIVE_PROPOSED, 4),
    (B.CANCELLED, 8),
    (B.DECLINED, 8),
]
#: States whose booking holds its places on an occasion (completed ones keep them too).
HOLDING = {B.REQUESTED, B.ALTERNATIVE_PROPOSED, B.CONFIRMED, B.COMPLETED}


@functools.lru_cache(maxsize=4096)
def _is_school_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_on(day) is None


def school_days(first: date, last: date) -> list[date]:
    """Weekdays from ``first`` to ``last`` outside the school holidays (winter week 7)."""
    days, day = [], first
    while day <= last:
        if _is_school_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def next_school_day(day: date) -> date:
    while not _is_school_day(day):
        day += timedelta(days=1)
    return day


def _pick(rng: random.Random, weighted) -> str:
    states, weights = zip(*weighted, strict=True)
    return rng.choices(states, weights=weights)[0]


class _Progress:
    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total, self.done = out, label, total, 0
        self.started = time.monotonic()

    def add(self, n: int) -> None:
        self.done += n
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.out.write(
            f"\r  {self.label}: {self.done:>9,}/{self.total:,} ({rate:,.0f}/s)", ending=""
        )
        self.out.flush()
        if self.done >= self.total:
            self.out.write("")


def build_bookings(cmd, *, schools, occasions, offers, n: int, seed: int = 2026) -> int:
    """Bulk-create ``n`` bookings for ``schools`` on ``offers``/``occasions``. Returns n."""
    if n <= 0 or not schools or not offers:
        return 0
    rng = random.Random(seed)  # noqa: S311 (test data)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    this_year = school_year_of(timezone.localdate())
    first, _ = school_year_bounds(this_year - 1)
    _, last = school_year_bounds(this_year)
    days = school_days(first, last)

    staff: dict[int, int] = {}
    for school_id, user_id in SchoolMembership.objects.filter(
        school__in=[s.pk for s in schools], is_approved=True
    ).values_list("school_id", "user_id"):
        staff.setdefault(school_id, user_id)
    schools = [s for s in schools if s.pk in staff]
    by_municipality: dict[int, list] = {}
    for s in schools:
        by_municipality.setdefault(s.municipality_id, []).append(s)
    offer_municipalities = _offer_municipalities(offers)
    on_request = [o for o in offers if o.on_request]
    offers_by_pk = {o.pk: o for o in offers}
    free = {occ.pk: occ.capacity - occ.reserved for occ in occasions}
    open_occasions = [occ for occ in occasions if free[occ.pk] > 0]
    answer_days = timedelta(days=14)

    def school_for(offer):
        local = [
            s for m in offer_municipalities.get(offer.pk, ()) for s in by_municipality.get(m, ())
        ]
        return rng.choice(local or schools)

    def one(i: int) -> Booking:
        occasion = None
        # About a third of the bookings take a place on a fixed occasion while any is free.
        if open_occasions and rng.random() < 0.35:
            occasion = open_occasions[rng.randrange(len(open_occasions))]
            if free[occasion.pk] <= 0:
                occasion = None
        if occasion is not None:
            offer = offers_by_pk[occasion.offer_id]
            starts_at, ends_at = occasion.starts_at, occasion.ends_at
        else:
            offer = rng.choice(on_request or offers)
            day = rng.choice(days)
            starts_at = datetime(day.year, day.month, day.day, rng.choice([8, 9, 10, 12]), 0)
            starts_at = starts_at.replace(tzinfo=tz)
            ends_at = starts_at + timedelta(minutes=offer.duration_minutes)
        state = _pick(rng, PAST_STATES if starts_at < now else FUTURE_STATES)
        school = school_for(offer)
        grade = rng.randint(offer.grade_min, offer.grade_max)
        class_count = 1 if rng.random() < 0.85 else 2
        pupils = rng.randint(18, 28) * class_count
        places = 0
        if occasion is not None and state in HOLDING:
            places = min(class_count, free[occasion.pk])
            class_count = max(places, 1)
            free[occasion.pk] -= places
        created = starts_at - timedelta(days=rng.randint(10, 90))
        created = min(created, now)
        user_id = staff[school.pk]
        confirmed = state in {B.CONFIRMED, B.COMPLETED}
        booking = Booking(
            offer_id=offer.pk,
            occasion_id=occasion.pk if occasion else None,
            school_id=school.pk,
            requested_by_id=user_id,
            contact_teacher_id=user_id,
            state=state,
            starts_at=starts_at,
            ends_at=ends_at,
            preferred_dates=[] if occasion else [[starts_at.isoformat(), ends_at.isoformat()]],
            answer_deadline=min(created + answer_days, starts_at),
            classes=f"{grade}.{'ABCD'[i % 4]}" + (f" og {grade}.E" if class_count > 1 else ""),
            class_count=class_count,
            grade=grade,
            pupils=pupils,
            places=places,
            sessions=1,
            price_total=expected_price(offer, pupils, sessions=1, classes=class_count),
            municipality_share=Decimal(0),
            school_share=Decimal(0),
            cancel_reason="Aflyst af skolen" if state == B.CANCELLED else "",
            confirmed_at=created + timedelta(days=2) if confirmed else None,
        )
        return booking, created

    progress = _Progress(cmd.stdout, "bookings", n)
    insert = _copy_bookings if connection.vendor == "postgresql" else _bulk_create_bookings
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        batch = []
        for k in range(size):
            booking, created = one(done + k)
            booking.created_at = booking.updated_at = created
            batch.append(booking)
        open_occasions = [occ for occ in open_occasions if free[occ.pk] > 0]
        insert(batch)
        done += size
        progress.add(size)
    with connection.cursor() as cursor:
        set_reserved_from_bookings(cursor)
    cmd.stdout.write(f"  occasions: reserved places set from {n:,} bookings")
    return n


def _booking_columns():
    return [f for f in Booking._meta.concrete_fields if not f.primary_key]


def _copy_bookings(batch: list[Booking]) -> None:
    """PostgreSQL COPY (several times faster than INSERT), then one history row each."""
    from psycopg.types.json import Jsonb

    fields = _booking_columns()
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = Booking._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608  # nosec B608
        last_id = cursor.fetchone()[0]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for booking in batch:
                copy.write_row(
                    [
                        Jsonb(v) if f.name == "preferred_dates" else v
                        for f in fields
                        for v in (getattr(booking, f.attname),)
                    ]
                )
        cursor.execute(
            f"INSERT INTO {BookingEvent._meta.db_table} "  # noqa: S608  # nosec B608
            "(booking_id, actor_id, actor_role, transition, from_state, to_state, note, created_at) "
            f"SELECT id, requested_by_id, %s, '', '', %s, '', created_at FROM {table} WHERE id > %s",
            [Actor.SCHOOL, B.REQUESTED, last_id],
        )


def _bulk_create_bookings(batch: list[Booking]) -> None:
    """Any database: bulk_create, then restore the request times auto_now overwrote."""
    when = [(b.created_at, b.updated_at) for b in batch]
    created = Booking.objects.bulk_create(batch, batch_size=BATCH)
    for booking, (created_at, updated_at) in zip(created, when, strict=True):
        booking.created_at, booking.updated_at = created_at, updated_at
    Booking.objects.bulk_update(created, ["created_at", "updated_at"], batch_size=500)
    BookingEvent.objects.bulk_create(
        [
            BookingEvent(
                booking_id=b.pk,
                actor_id=b.requested_by_id,
                actor_role=Actor.SCHOOL,
                to_state=B.REQUESTED,
                created_at=b.created_at,
            )
            for b in created
        ],
        batch_size=BATCH,
    )


def set_reserved_from_bookings(cursor) -> None:
    """Occasion.reserved = the places its bookings hold (one statement for all occasions)."""
    cursor.execute(
        "UPDATE bookings_occasion SET reserved = (SELECT COALESCE(SUM(places), 0)"
        " FROM bookings_booking WHERE occasion_id = bookings_occasion.id) "
        "WHERE id IN (SELECT occasion_id FROM bookings_booking WHERE occasion_id IS NOT NULL)"
    )


def _offer_municipalities(offers) -> dict[int, list[int]]:
    through = Association.municipalities.through
    by_association: dict[int, list[int]] = {}
    for association_id, municipality_id in through.objects.filter(
        association_id__in={o.association_id for o in offers}
    ).values_list("association_id", "municipality_id"):
        by_association.setdefault(association_id, []).append(municipality_id)
    return {o.pk: by_association.get(o.association_id, []) for o in offers}


def bench_booking_post(*, offer, membership, cookie: str, csrf: str) -> dict | None:
    """The booking form's POST against an on-request offer of the membership's municipality.

    ``offer`` is the page's fixed-date offer; the POST needs an on-request one, so it picks
    one in the same municipality. Each request creates one requested booking.
    """
    # The previous runs' benchmark requests would pile up on this school's pages.
    Booking.objects.filter(school=membership.school, message=BENCH_MESSAGE).delete()
    municipality = membership.school.municipality
    target = (
        Offer.objects.published()
        .filter(association__municipalities=municipality, on_request=True)
        .order_by("pk")
        .first()
    )
    if target is None:
        return None
    day = next_school_day(timezone.localdate() + timedelta(days=21))
    start = datetime(day.year, day.month, day.day, 9, 0)
    grade = max(target.grade_min, min(5, target.grade_max))
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "school": membership.school_id,
            "preferred_1": start.strftime("%Y-%m-%dT%H:%M"),
            "sessions": 1,
            "classes": f"{grade}.A",
            "class_count": 1,
            "grade": grade,
            "pupils": 24,
            "contact_teacher": membership.user_id,
            "special_needs": "",
            "message": BENCH_MESSAGE,
        }
    )
    return {
        "name": "booking POST (logged in)",
        "path": f"/offers/{target.slug}/book/",
        "method": "POST",
        "body": body,
        "content_type": "application/x-www-form-urlencoded",
        "cookie": cookie,
    }
