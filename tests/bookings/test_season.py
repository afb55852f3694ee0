"""An offer's dates lie in its season (from week to week, as the association gave it): a new or
edited date, a school's preferred dates and an alternative date outside it are refused with
a message, in the services, so that every path (form, demo data, API to come) keeps the rule."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Occasion
from bookings.states import Actor
from tests import factories as f

from .conftest import make_booking, school_day

pytestmark = pytest.mark.django_db


def week_of(moment) -> int:
    return timezone.localtime(moment).isocalendar().week


def other_week(week: int) -> int:
    """A week that is not ``week`` (1 to 53)."""
    return week % 52 + 1


@pytest.mark.parametrize(
    ("first", "last", "day", "inside"),
    [
        (33, 40, date(2026, 8, 10), True),  # week 33, the first
        (33, 40, date(2026, 10, 2), True),  # week 40, the last
        (33, 40, date(2026, 10, 5), False),  # week 41
        (33, 26, date(2027, 1, 12), True),  # over New Year: week 2
        (33, 26, date(2027, 6, 28), True),  # week 26, the last
        (33, 26, date(2027, 7, 5), False),  # week 27
        (33, 26, date(2026, 7, 14), False),  # week 29, the summer
        (45, 10, date(2026, 11, 30), True),  # week 49
        (45, 10, date(2026, 10, 26), False),  # week 44
    ],
)
def test_in_season(first, last, day, inside):
    offer = f.OfferFactory.build(season_start_week=first, season_end_week=last)
    assert offer.in_season(day) is inside


def test_a_date_outside_the_season_is_refused_and_one_inside_is_saved(published_offer):
    start = school_day(30)
    week = week_of(start)
    published_offer.season_start_week = published_offer.season_end_week = other_week(week)
    published_offer.save()
    occasion = Occasion(
        offer=published_offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
    )
    with pytest.raises(ValidationError) as refused:
        services.add_occasion(occasion)
    assert refused.value.code == "season"
    assert f"uge {week}" in refused.value.messages[0]  # Danish first
    assert not published_offer.occasions.exists()

    published_offer.season_start_week = published_offer.season_end_week = week
    published_offer.save()
    assert services.add_occasion(occasion).pk


def test_a_course_session_outside_the_season_is_refused(published_offer):
    start = school_day(30)
    published_offer.season_start_week = published_offer.season_end_week = week_of(start)
    published_offer.save()
    later = school_day(60)
    occasion = Occasion(
        offer=published_offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
    )
    with pytest.raises(ValidationError, match="sæson"):
        services.save_occasion(occasion, [(later, later + timedelta(hours=2))])


def test_a_preferred_date_outside_the_season_is_refused(teacher, school, association):
    start = school_day(40)
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=True,
        season_start_week=other_week(week_of(start)),
        season_end_week=other_week(week_of(start)),
    )
    with pytest.raises(ValidationError, match="sæson"):
        make_booking(teacher, school, offer, preferred=[(start, start + timedelta(hours=2))])
    offer.season_end_week = offer.season_start_week = week_of(start)
    offer.save()
    assert make_booking(teacher, school, offer, preferred=[(start, start + timedelta(hours=2))])


def test_an_alternative_date_outside_the_season_is_refused(
    teacher, school, association, association_member
):
    first = school_day(40)
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=True,
        season_start_week=week_of(first),
        season_end_week=week_of(first),
    )
    booking = make_booking(teacher, school, offer, preferred=[(first, first + timedelta(hours=2))])
    outside = school_day(60)
    with pytest.raises(ValidationError, match="sæson"):
        services.transition(
            booking,
            "propose_alternative",
            user=association_member,
            actor=Actor.ASSOCIATION,
            starts_at=outside,
            ends_at=outside + timedelta(hours=2),
        )


def test_the_date_form_tells_the_association_in_danish(client, association_member, published_offer):
    start = school_day(25)
    week = week_of(start)
    published_offer.season_start_week = published_offer.season_end_week = other_week(week)
    published_offer.save()
    client.force_login(association_member)
    response = client.post(
        reverse("bookings:occasions", args=[published_offer.pk]),
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Hallen",
            "capacity": 2,
            "capacity_unit": "classes",
            "extra_sessions": "",
        },
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"er i uge {week}, uden for tilbuddets sæson" in page
    assert not published_offer.occasions.exists()
