from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Occasion, SubsidyPool, WaitingListEntry
from bookings.schoolyear import school_year_of
from bookings.states import Actor, BookingError, BookingState, BookingTransition
from notifications.models import Notification
from tests import factories as f

from .conftest import make_booking, run_concurrently, school_day

T = BookingTransition
W = WaitingListEntry.State


def test_full_occasion_refuses(teacher, school, occasion, other_teacher, other_school):
    make_booking(teacher, school, occasion.offer, occasion, class_count=2)
    with pytest.raises(services.OccasionFull):
        make_booking(other_teacher, other_school, occasion.offer, occasion)
    occasion.refresh_from_db()
    assert occasion.reserved == 2 == occasion.capacity


def test_capacity_in_pupils(teacher, school, published_offer):
    start = school_day(20)
    occ = Occasion.objects.create(
        offer=published_offer,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=50,
        capacity_unit="pupils",
    )
    make_booking(teacher, school, published_offer, occ, pupils=30)
    with pytest.raises(services.OccasionFull):
        make_booking(teacher, school, published_offer, occ, pupils=21)
    make_booking(teacher, school, published_offer, occ, pupils=20)


def test_the_constraint_backs_the_rule(occasion):
    with pytest.raises(IntegrityError), transaction.atomic():
        Occasion.objects.filter(pk=occasion.pk).update(reserved=3)


def test_waiting_list_offers_freed_place_in_order(
    teacher, school, occasion, other_teacher, other_school, association_member
):
    booking = make_booking(teacher, school, occasion.offer, occasion, class_count=2)
    big = services.join_waiting_list(
        user=other_teacher,
        school=other_school,
        occasion=occasion,
        classes="6.A 6.B",
        class_count=2,
        grade=6,
        pupils=40,
    )
    third_school = f.SchoolFactory(municipality=school.municipality)
    third = f.SchoolMembershipFactory(school=third_school).user
    small = services.join_waiting_list(
        user=third,
        school=third_school,
        occasion=occasion,
        classes="4.A",
        class_count=1,
        grade=4,
        pupils=20,
    )
    with pytest.raises(BookingError):  # once per school
        services.join_waiting_list(
            user=third,
            school=third_school,
            occasion=occasion,
            classes="4.B",
            class_count=1,
            grade=4,
            pupils=20,
        )
    # One class cancels itself off a two-class booking? No: the whole booking is cancelled.
    services.transition(booking, T.CANCEL, user=teacher, actor=Actor.SCHOOL, note="Lejrskole")
    services.offer_freed_places(occasion.pk)  # on commit in real life
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.state == W.OFFERED  # first in line and fits (2 free)
    assert small.state == W.WAITING
    occasion.refresh_from_db()
    assert occasion.reserved == 2  # held for the offered school
    assert Notification.objects.filter(
        to_email=other_teacher.email, key__contains="waiting"
    ).exists()

    # Not taken in time: it lapses and goes to the next that fits.
    WaitingListEntry.objects.filter(pk=big.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert services.lapse_waiting_offers() == 1
    services.offer_freed_places(occasion.pk)
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.state == W.LAPSED and small.state == W.OFFERED
    occasion.refresh_from_db()
    assert occasion.reserved == 1

    b = services.accept_waiting_offer(small, user=third, contact_teacher=third)
    occasion.refresh_from_db()
    assert b.state == BookingState.REQUESTED and b.places == 1 and occasion.reserved == 1
    small.refresh_from_db()
    assert small.state == W.ACCEPTED and small.booking == b
    with pytest.raises(BookingError):
        services.accept_waiting_offer(small, user=third, contact_teacher=third)


def test_first_entry_that_fits_gets_the_place(
    teacher, school, occasion, other_teacher, other_school
):
    make_booking(teacher, school, occasion.offer, occasion, class_count=1)
    b2 = make_booking(other_teacher, other_school, occasion.offer, occasion, class_count=1)
    big = services.join_waiting_list(
        user=teacher,
        school=school,
        occasion=occasion,
        classes="x",
        class_count=2,
        grade=5,
        pupils=40,
    )
    third_school = f.SchoolFactory(municipality=school.municipality)
    third = f.SchoolMembershipFactory(school=third_school).user
    small = services.join_waiting_list(
        user=third,
        school=third_school,
        occasion=occasion,
        classes="y",
        class_count=1,
        grade=5,
        pupils=20,
    )
    services.transition(b2, T.CANCEL, user=other_teacher, actor=Actor.SCHOOL, note="x")
    services.offer_freed_places(occasion.pk)
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.state == W.WAITING and small.state == W.OFFERED


# --- Subsidy pool -------------------------------------------------------------------------


@pytest.fixture
def paid_offer(association):
    return f.OfferFactory(
        association=association,
        published=True,
        on_request=True,
        price_model="hourly",
        price_amount=Decimal("400"),
        duration_minutes=120,
    )


def _pool(municipality, **kw):
    data = {
        "amount": Decimal("10000"),
        "municipality_share_percent": 50,
        "school_year": school_year_of(school_day(40).date()),
    }
    data.update(kw)
    return SubsidyPool.objects.create(municipality=municipality, **data)


def test_confirmed_paid_booking_gets_shares(
    teacher, school, paid_offer, association_member, municipality
):
    pool = _pool(municipality, max_hourly_rate=Decimal("250"))
    b = make_booking(teacher, school, paid_offer)
    assert b.price_total == Decimal("800.00")
    b = services.transition(b, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION)
    # 250/h × 2 h = 500 subsidisable, half of it: 250
    assert b.municipality_share == Decimal("250.00")
    assert b.school_share == Decimal("550.00")
    pool.refresh_from_db()
    assert pool.reserved == Decimal("250.00") and pool.left == Decimal("9750.00")
    figures = services.pool_figures(pool, school)
    assert figures.reserved == Decimal("250.00")
    assert services.pool_figures_by_school(pool) == [(school, figures)]
    services.transition(b, T.CANCEL, user=teacher, actor=Actor.SCHOOL, note="Aflyst")
    pool.refresh_from_db()
    assert pool.reserved == 0


def test_pool_caps_and_never_overspent(
    teacher, school, paid_offer, association_member, municipality
):
    pool = _pool(
        municipality,
        amount=Decimal("500"),
        cap_per_booking=Decimal("300"),
        cap_per_school=Decimal("450"),
    )
    shares = []
    for _ in range(3):
        b = make_booking(teacher, school, paid_offer)
        b = services.transition(b, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION)
        shares.append(b.municipality_share)
    assert shares == [Decimal("300.00"), Decimal("150.00"), Decimal("0.00")]
    pool.refresh_from_db()
    assert pool.reserved == Decimal("450.00") <= pool.amount


def test_completed_moves_reserved_to_spent(
    teacher, school, paid_offer, association_member, municipality
):
    pool = _pool(municipality)
    b = make_booking(teacher, school, paid_offer)
    b = services.transition(b, T.CONFIRM, user=association_member, actor=Actor.ASSOCIATION)
    past = timezone.now() - timedelta(days=1)
    Booking.objects.filter(pk=b.pk).update(starts_at=past - timedelta(hours=2), ends_at=past)
    services.complete_past()
    pool.refresh_from_db()
    assert pool.reserved == 0 and pool.spent == Decimal("400.00")


# --- Concurrency on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_the_last_place_give_one_success():
    municipality = f.MunicipalityFactory()
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    start = school_day(30)
    occ = Occasion.objects.create(
        offer=offer, starts_at=start, ends_at=start + timedelta(hours=1), capacity=3, reserved=2
    )
    staff = [f.SchoolMembershipFactory(school__municipality=municipality) for _ in range(24)]

    def work(i):
        m = staff[i]
        return make_booking(m.user, m.school, offer, occ)

    results = run_concurrently(24, work)
    successes = [r for r in results if isinstance(r, Booking)]
    refusals = [r for r in results if isinstance(r, services.OccasionFull)]
    assert len(successes) == 1, results
    assert len(refusals) == 23, results
    occ.refresh_from_db()
    assert occ.reserved == 3
    assert Booking.objects.filter(occasion=occ).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_overspend_the_pool():
    municipality = f.MunicipalityFactory()
    association = f.AssociationFactory(municipalities=[municipality])
    member = f.AssociationMembershipFactory(association=association).user
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=True,
        price_model="per_class",
        price_amount=Decimal("1000"),
    )
    pool = _pool(municipality, amount=Decimal("2000"))  # room for four halves of 1000
    staff = [f.SchoolMembershipFactory(school__municipality=municipality) for _ in range(20)]
    bookings = [make_booking(m.user, m.school, offer) for m in staff]

    def work(i):
        return services.transition(bookings[i], T.CONFIRM, user=member, actor=Actor.ASSOCIATION)

    results = run_concurrently(20, work)
    assert all(isinstance(r, Booking) for r in results), results
    pool.refresh_from_db()
    shares = sorted(b.municipality_share for b in Booking.objects.filter(subsidy_pool=pool))
    assert pool.reserved == sum(shares) == Decimal("2000.00")
    assert len(shares) == 4
    assert Booking.objects.filter(state=BookingState.CONFIRMED).count() == 20
