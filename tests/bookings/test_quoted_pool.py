"""The subsidy pool a booking form's price is quoted with comes from a cache
(``services.quoted_pool``): every change of the pool must count for the very next quote."""

from decimal import Decimal

import pytest

from bookings import services
from bookings.models import SubsidyPool
from bookings.schoolyear import school_year_of
from tests import factories as f

from .conftest import school_day

# Real commits: a change counts for the caches when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal


@pytest.fixture
def offer(association):
    return f.OfferFactory(
        association=association, published=True, price_model="per_class", price_amount=1000
    )


def municipality_share(offer, school, when) -> Decimal:
    return services.quote(offer, school, when, pupils=20).municipality


def test_the_pool_is_cached_and_each_change_counts(
    offer, school, municipality, django_assert_num_queries
):
    when = school_day(20)
    assert municipality_share(offer, school, when) == 0  # no pool yet
    with django_assert_num_queries(0):  # "no pool" is cached too
        assert municipality_share(offer, school, when) == 0

    pool = services.open_pool(
        SubsidyPool(
            municipality=municipality,
            school_year=school_year_of(when.date()),
            amount=D("10000"),
            municipality_share_percent=50,
        )
    )
    assert municipality_share(offer, school, when) == D("500.00")
    with django_assert_num_queries(0):
        assert municipality_share(offer, school, when) == D("500.00")

    services.change_pool(pool, reserved=D("9800"))  # update(): bumped by hand
    assert municipality_share(offer, school, when) == D("200.00")

    pool.refresh_from_db()
    pool.municipality_share_percent = 10
    pool.reserved = 0
    pool.save()
    assert municipality_share(offer, school, when) == D("100.00")

    pool.delete()
    assert municipality_share(offer, school, when) == 0


def test_another_municipality_or_year_has_its_own_pool(
    offer, school, municipality, other_municipality
):
    when = school_day(20)
    year = school_year_of(when.date())
    SubsidyPool.objects.create(
        municipality=other_municipality,
        school_year=year,
        amount=1000,
        municipality_share_percent=50,
    )
    assert municipality_share(offer, school, when) == 0
    SubsidyPool.objects.create(
        municipality=municipality, school_year=year + 1, amount=1000, municipality_share_percent=50
    )
    assert municipality_share(offer, school, when) == 0
    SubsidyPool.objects.create(
        municipality=municipality, school_year=year, amount=1000, municipality_share_percent=50
    )
    assert municipality_share(offer, school, when) == D("500.00")
