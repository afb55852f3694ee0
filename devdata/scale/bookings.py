"""The scale data's bookings: on-request dates and fixed occasions, spread over last and this
school year, in every state, with one history row each.

Occasion bookings reserve places (``Booking.places``) and ``Occasion.reserved`` is set from
them afterwards in one UPDATE, so it always equals the sum of the places held and never
exceeds the capacity. On PostgreSQL the rows go in with COPY, elsewhere with bulk_create.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from associations.models import Association, Offer
from bookings.models import Booking, BookingEvent, Occasion
from bookings.schoolyear import school_year_bounds, school_year_of
from bookings.services import expected_price
from bookings.states import Actor, BookingState
from schools.models import School, SchoolMembership

from ..days import drawn_in_season, school_days
from .build import BATCH, Progress, batch_size

SEED = 2026  # the bookings' own random numbers (``--seed`` does not change them)
ANSWER_TIME = timedelta(days=14)  # from the request to its answer deadline
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


def create_bookings(out, schools, occasions, offers, n: int) -> int:
    """Bulk-create ``n`` bookings for ``schools`` on ``offers``/``occasions``. Returns n."""
    if n <= 0 or not schools or not offers:
        return 0
    maker = BookingMaker(schools, occasions, offers)
    progress = Progress(out, "bookings", n)
    insert = copy_bookings if connection.vendor == "postgresql" else bulk_create_bookings
    for done in range(0, n, BATCH):
        batch = maker.batch(done, min(BATCH, n - done))
        insert(batch)
        progress.add(len(batch))
    with connection.cursor() as cursor:
        set_reserved_from_bookings(cursor)
    out.write(f"  occasions: reserved places set from {n:,} bookings")
    return n


class BookingMaker:
    """Makes one realistic booking after another and keeps count of the places still free."""

    def __init__(self, schools: list[School], occasions: list[Occasion], offers: list[Offer]):
        self.rng = random.Random(SEED)  # noqa: S311 (test data)
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        this_year = school_year_of(timezone.localdate())
        first, _ = school_year_bounds(this_year - 1)
        _, last = school_year_bounds(this_year)
        self.days = school_days(first, last)
        self.staff = first_staff(schools)
        self.schools = [s for s in schools if s.pk in self.staff]
        self.by_municipality: dict[int, list[School]] = {}
        for s in self.schools:
            self.by_municipality.setdefault(s.municipality_id, []).append(s)
        self.offer_municipalities = offer_municipalities(offers)
        self.offers, self.on_request = offers, [o for o in offers if o.on_request]
        self.offers_by_pk = {o.pk: o for o in offers}
        self.free = {occ.pk: occ.capacity - occ.reserved for occ in occasions}
        self.open_occasions = [occ for occ in occasions if self.free[occ.pk] > 0]

    def batch(self, first: int, size: int) -> list[Booking]:
        """Bookings number ``first`` to ``first + size - 1``."""
        batch = [self.booking(first + k) for k in range(size)]
        self.open_occasions = [occ for occ in self.open_occasions if self.free[occ.pk] > 0]
        return batch

    def booking(self, i: int) -> Booking:
        draw = self.draw()
        return draw.booking(i, requested_by=self.staff[draw.school.pk])

    def draw(self) -> Draw:
        rng = self.rng
        occasion, offer, starts_at, ends_at = self.choose_offer_and_date()
        state = pick(rng, PAST_STATES if starts_at < self.now else FUTURE_STATES)
        school = self.school_for(offer)
        grade = rng.randint(offer.grade_min, offer.grade_max)
        class_count = 1 if rng.random() < 0.85 else 2
        pupils = rng.randint(18, 28) * class_count
        places = 0
        if occasion is not None and state in HOLDING:
            places = min(class_count, self.free[occasion.pk])
            class_count = max(places, 1)
            self.free[occasion.pk] -= places
        created = starts_at - timedelta(days=rng.randint(10, 90))
        return Draw(
            offer=offer,
            occasion=occasion,
            starts_at=starts_at,
            ends_at=ends_at,
            state=state,
            school=school,
            grade=grade,
            class_count=class_count,
            pupils=pupils,
            places=places,
            created=min(created, self.now),
        )

    def choose_offer_and_date(self) -> tuple[Occasion | None, Offer, datetime, datetime]:
        """About a third of the bookings take a place on a fixed occasion while any is free;
        the others ask for a school day of the two school years."""
        rng, occasion = self.rng, None
        if self.open_occasions and rng.random() < 0.35:
            occasion = self.open_occasions[rng.randrange(len(self.open_occasions))]
            if self.free[occasion.pk] <= 0:
                occasion = None
        if occasion is not None:
            return (
                occasion,
                self.offers_by_pk[occasion.offer_id],
                occasion.starts_at,
                occasion.ends_at,
            )
        offer = rng.choice(self.on_request or self.offers)
        day = drawn_in_season(offer, lambda: rng.choice(self.days))
        starts_at = datetime(day.year, day.month, day.day, rng.choice([8, 9, 10, 12]), 0)
        starts_at = starts_at.replace(tzinfo=self.tz)
        return None, offer, starts_at, starts_at + timedelta(minutes=offer.duration_minutes)

    def school_for(self, offer: Offer) -> School:
        """A school in one of the offer's municipalities (any school when none has one)."""
        municipalities = self.offer_municipalities.get(offer.pk, ())
        local = [s for m in municipalities for s in self.by_municipality.get(m, ())]
        return self.rng.choice(local or self.schools)


def pick(rng: random.Random, weighted) -> str:
    states, weights = zip(*weighted, strict=True)
    return rng.choices(states, weights=weights)[0]


@dataclass
class Draw:
    """The random choices behind one booking."""

    offer: Offer
    occasion: Occasion | None
    starts_at: datetime
    ends_at: datetime
    state: str
    school: School
    grade: int
    class_count: int
    pupils: int
    places: int
    created: datetime  # when the school asked

    def booking(self, i: int, *, requested_by: int) -> Booking:
        """The ``i``-th booking, asked for by the user with the id ``requested_by``."""
        occasion, offer, grade, class_count = (
            self.occasion,
            self.offer,
            self.grade,
            self.class_count,
        )
        confirmed = self.state in {B.CONFIRMED, B.COMPLETED}
        booking = Booking(
            offer_id=offer.pk,
            occasion_id=occasion.pk if occasion else None,
            school_id=self.school.pk,
            requested_by_id=requested_by,
            contact_teacher_id=requested_by,
            state=self.state,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            preferred_dates=[]
            if occasion
            else [[self.starts_at.isoformat(), self.ends_at.isoformat()]],
            answer_deadline=min(self.created + ANSWER_TIME, self.starts_at),
            classes=f"{grade}.{'ABCD'[i % 4]}" + (f" og {grade}.E" if class_count > 1 else ""),
            class_count=class_count,
            grade=grade,
            pupils=self.pupils,
            places=self.places,
            sessions=1,
            price_total=expected_price(offer, self.pupils, sessions=1, classes=class_count),
            municipality_share=Decimal(0),
            school_share=Decimal(0),
            cancel_reason="Aflyst af skolen" if self.state == B.CANCELLED else "",
            confirmed_at=self.created + timedelta(days=2) if confirmed else None,
        )
        booking.created_at = booking.updated_at = self.created
        return booking


def first_staff(schools: list[School]) -> dict[int, int]:
    """School id -> the id of its first approved member, who makes its requests."""
    staff: dict[int, int] = {}
    for school_id, user_id in SchoolMembership.objects.filter(
        school__in=[s.pk for s in schools], is_approved=True
    ).values_list("school_id", "user_id"):
        staff.setdefault(school_id, user_id)
    return staff


def offer_municipalities(offers: list[Offer]) -> dict[int, list[int]]:
    """Offer id -> the ids of its association's municipalities."""
    through = Association.municipalities.through
    by_association: dict[int, list[int]] = {}
    for association_id, municipality_id in through.objects.filter(
        association_id__in={o.association_id for o in offers}
    ).values_list("association_id", "municipality_id"):
        by_association.setdefault(association_id, []).append(municipality_id)
    return {o.pk: by_association.get(o.association_id, []) for o in offers}


def booking_columns():
    return [f for f in Booking._meta.concrete_fields if not f.primary_key]


def copy_bookings(batch: list[Booking]) -> None:
    """PostgreSQL COPY (several times faster than INSERT), then one history row each."""
    from psycopg.types.json import Jsonb

    fields = booking_columns()
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


def bulk_create_bookings(batch: list[Booking]) -> None:
    """Any database: bulk_create, then restore the request times auto_now overwrote."""
    when = [(b.created_at, b.updated_at) for b in batch]
    created = Booking.objects.bulk_create(batch, batch_size=batch_size(Booking))
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
        batch_size=batch_size(BookingEvent),
    )


def set_reserved_from_bookings(cursor) -> None:
    """Occasion.reserved = the places its bookings hold (one statement for all occasions)."""
    cursor.execute(
        "UPDATE bookings_occasion SET reserved = (SELECT COALESCE(SUM(places), 0)"
        " FROM bookings_booking WHERE occasion_id = bookings_occasion.id) "
        "WHERE id IN (SELECT occasion_id FROM bookings_booking WHERE occasion_id IS NOT NULL)"
    )
