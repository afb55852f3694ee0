""" "My school" is cached per user and school, and fresh after every change it shows.

The cache is on here (the test settings turn it off elsewhere). Each test changes one thing
the page shows (a booking, a waiting-list entry, an event, a need, a calendar feed, an
offer's title, a membership) and checks that the very next request shows it; time moving an
upcoming booking into the past is checked with a frozen clock.
"""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, CalendarFeed, WaitingListEntry
from bookings.states import BookingState
from partnerships.network import services as network
from portal.fragments import csrf_placeholder
from schools.models import SchoolEvent
from schools.services import close_need
from tests import factories as f
from tests.partnerships.conftest import make_partnership
from tests.partnerships.network_helpers import make_event
from tests.schools.factories import SchoolNeedFactory

# Real commits: a change counts for the caches when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

URL = reverse("bookings:my_school")


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGECACHE_ENABLED = True
    settings.ROLES_CACHE_ENABLED = True  # as in production: the user's schools from the summary


@pytest.fixture
def page(client, teacher):
    client.force_login(teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def get(url=URL):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    return get


def confirmed(school, teacher, offer, *, days=20, **kwargs):
    start = timezone.now() + timedelta(days=days)
    return Booking.objects.create(
        offer=offer,
        school=school,
        requested_by=teacher,
        contact_teacher=teacher,
        classes="5.A",
        class_count=1,
        grade=5,
        pupils=20,
        state=BookingState.CONFIRMED,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        answer_deadline=start - timedelta(days=1),
        **kwargs,
    )


def waiting_entry(occasion, school, teacher):
    return WaitingListEntry.objects.create(
        occasion=occasion,
        school=school,
        requested_by=teacher,
        places=22,
        classes="7.B",
        class_count=1,
        grade=7,
        pupils=22,
    )


def test_the_second_request_renders_nothing_again(page, school, teacher, published_offer):
    confirmed(school, teacher, published_offer)
    first, cold = page()
    second, warm = page()
    assert published_offer.title in first
    # The lists' queries are not run again; the session, user and page frame remain.
    assert warm < cold - 5, (cold, warm)
    assert _without_tokens(first) == _without_tokens(second)


def test_a_new_booking_shows_at_once(page, school, teacher, published_offer):
    page()
    booking = confirmed(school, teacher, published_offer)
    body, _ = page()
    assert reverse("bookings:detail", args=[booking.pk]) in body


def test_a_state_change_shows_at_once(page, school, teacher, published_offer):
    booking = confirmed(school, teacher, published_offer)
    assert "Confirmed" in page()[0]
    booking.state = BookingState.CANCELLED
    booking.save()
    body, _ = page()
    assert "Cancelled" in body and "No upcoming bookings." in body


def test_an_offer_title_change_shows_at_once(page, school, teacher, published_offer):
    confirmed(school, teacher, published_offer)
    page()
    published_offer.title = "Kajak på Øresund"
    published_offer.save()
    assert "Kajak på Øresund" in page()[0]


def test_waiting_list_events_needs_and_feed_show_at_once(page, school, teacher, published_offer):
    occasion = f.OccasionFactory(offer=published_offer)
    page()
    waiting_entry(occasion, school, teacher)
    assert "7.B" in page()[0]
    SchoolEvent.objects.create(
        school=school,
        created_by=teacher,
        title="Motionsdag for hele skolen",
        starts_on=timezone.localdate() + timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=10),
        grade_min=0,
        grade_max=9,
    )
    assert "Motionsdag for hele skolen" in page()[0]
    need = SchoolNeedFactory(school=school, title="Hjælp til naturfagsugen")
    assert "Hjælp til naturfagsugen" in page()[0]
    close_need(need)  # a QuerySet.update(): the service bumps the generation itself
    assert "Closed" in page()[0]
    feed = CalendarFeed.objects.create(school=school)
    assert feed.token in page()[0]


def test_each_user_has_their_own_copy(client, school, teacher, published_offer):
    leader = f.SchoolMembershipFactory(school=school, role="leader").user
    second_school = f.SchoolFactory(municipality=school.municipality, name="Nordskolen")
    f.SchoolMembershipFactory(school=second_school, user=leader, role="leader")
    client.force_login(teacher)
    assert "Nordskolen" not in client.get(URL).content.decode()
    other = Client()
    other.force_login(leader)
    assert "Nordskolen" in other.get(URL).content.decode()
    assert "Nordskolen" not in client.get(URL).content.decode()


def test_a_new_membership_shows_at_once(client, school, teacher):
    client.force_login(teacher)
    assert "Nordskolen" not in client.get(URL).content.decode()
    second_school = f.SchoolFactory(municipality=school.municipality, name="Nordskolen")
    f.SchoolMembershipFactory(school=second_school, user=teacher, role="teacher")
    assert "Nordskolen" in client.get(URL).content.decode()


def test_language_has_its_own_copy(client, teacher):
    client.force_login(teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Waiting for your answer" in client.get(URL).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    assert "Venter på jeres svar" in client.get(URL).content.decode()


def test_an_upcoming_booking_becomes_a_past_one_when_it_starts(
    page, school, teacher, published_offer
):
    morning = timezone.make_aware(datetime(2026, 11, 25, 8, 0))  # the same day: no midnight
    with time_machine.travel(morning, tick=False):
        booking = confirmed(school, teacher, published_offer, days=0)
        booking.starts_at = morning + timedelta(minutes=2)  # within the 5-minute bound
        booking.ends_at = booking.starts_at + timedelta(hours=2)
        booking.save()
        body, _ = page()
        upcoming = body.split('id="upcoming-heading"')[1].split('id="past-heading"')[0]
        assert reverse("bookings:detail", args=[booking.pk]) in upcoming
    with time_machine.travel(booking.starts_at + timedelta(minutes=1), tick=False):
        body, _ = page()
    past = body.split('id="past-heading"')[1]
    assert reverse("bookings:detail", args=[booking.pk]) in past
    assert "No upcoming bookings." in body


def test_forms_carry_the_visitors_own_csrf_token(teacher, school):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    client.get(URL)  # fills the cache
    body = client.get(URL).content.decode()
    assert csrf_placeholder() not in body
    tokens = [p.split('"')[0] for p in body.split('name="csrfmiddlewaretoken" value="')[1:]]
    # The lists' forms and the frame's log-out form carry one token, masked once.
    assert len(tokens) > 1 and len(set(tokens)) == 1
    token = tokens[0]
    action = reverse("bookings:feed_manage", args=["school", school.pk, "regenerate"])
    response = client.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CalendarFeed.objects.filter(school=school).exists()
    # The new address shows on the very next request.
    assert CalendarFeed.objects.get(school=school).token in client.get(URL).content.decode()


def _without_tokens(body: str) -> str:
    """The page without its CSRF tokens, which differ on every response."""
    parts = body.split('name="csrfmiddlewaretoken" value="')
    return parts[0] + "".join(p.split('"', 1)[1] for p in parts[1:])


def test_a_waiting_list_place_offered_shows_at_once(page, school, teacher, published_offer):
    occasion = f.OccasionFactory(offer=published_offer, capacity=30)
    waiting_entry(occasion, school, teacher)
    assert "Take the place" not in page()[0]
    assert services.offer_freed_places(occasion.pk)  # entries change with QuerySet.update()
    assert "Take the place" in page()[0]


def test_another_schools_booking_leaves_the_cached_lists_alone(
    page, school, other_school, teacher, published_offer
):
    other_teacher = f.SchoolMembershipFactory(school=other_school, role="teacher").user
    _body, cold = page()
    _body, warm = page()
    confirmed(other_school, other_teacher, published_offer)
    _body, after = page()
    assert after == warm < cold  # still served from the cache: only that school's lists changed


def test_a_change_to_the_municipalitys_pool_shows_at_every_school(page, school, teacher):
    from decimal import Decimal

    from django.db.models import F

    from bookings.models import SubsidyPool
    from bookings.schoolyear import school_year_of

    pool = SubsidyPool.objects.create(
        municipality=school.municipality,
        amount=Decimal("10000"),
        municipality_share_percent=50,
        school_year=school_year_of(timezone.localdate()),
    )
    assert "left for the school: 10,000" in page()[0]
    # Another school's confirmed booking reserves part of the pool with update().
    services.change_pool(pool, reserved=F("reserved") + Decimal("3000"))
    assert "left for the school: 7,000" in page()[0]


def test_an_m2m_change_seen_from_the_other_side_bumps_every_school(page, school):
    from associations.models import Subject

    need = SchoolNeedFactory(school=school)
    subject = Subject.objects.create(slug="dansk-x", name="Dansk X")
    page()
    _body, warm = page()
    subject.needs.add(need)  # m2m_changed with the subject as the instance
    _body, after = page()
    assert warm < after  # rendered again (and the signal did not fail)


def test_partnerships_and_network_meetings_show_at_once(
    page, municipality, school, teacher, consultant, association
):
    assert "See the partnership with the municipality" not in page()[0]
    partnership = make_partnership(municipality, consultant, association=association)
    partnership.schools.add(school)  # the schools change after the partnership is saved
    assert "See the partnership with the municipality" in page()[0]
    make_event(municipality, title="Videndeling om forløb", audience="open")
    assert "Videndeling om forløb" in page()[0]
    meeting = make_event(municipality, title="Netværksmøde om bevægelse")
    assert "Netværksmøde om bevægelse" not in page()[0]
    network.invite(meeting, [partnership])  # a bulk_create: the service bumps itself
    assert "You are invited: not answered yet." in page()[0]
    network.register(meeting, school, user=teacher, participants=2)
    assert "2 participants" in page()[0]
    partnership.schools.remove(school)
    body = page()[0]
    assert "See the partnership with the municipality" not in body
    assert "Netværksmøde om bevægelse" not in body


def test_a_network_meeting_leaves_the_list_when_it_ends(page, municipality):
    morning = timezone.make_aware(datetime(2026, 11, 25, 8, 0))  # the same day: no midnight
    with time_machine.travel(morning, tick=False):
        event = make_event(
            municipality,
            title="Morgenmøde",
            audience="open",
            starts_at=morning - timedelta(hours=2),
        )
        event.ends_at = morning + timedelta(minutes=2)  # within the 5-minute bound
        event.save()
        assert "Morgenmøde" in page()[0]
    with time_machine.travel(event.ends_at + timedelta(minutes=1), tick=False):
        assert "Morgenmøde" not in page()[0]
