"""A second click never creates a second thing: school events, occasions and subsidy pools.

School events and occasions carry the form's key (``portal.forms.SubmitKeyField``) under a
unique constraint (``portal.submitkeys``); a subsidy pool is one per municipality and school
year (``bookings_pool_one_per_year``), so that constraint guards the second "open".
"""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Occasion, SubsidyPool
from schools.models import SchoolEvent
from tests import factories as f

from .conftest import run_concurrently, school_day
from .test_idempotency import KEY, _logged_in, form_key, texts

EVENT_URL = reverse("schools:school_event_add")
POOL_URL = reverse("bookings:pool")


def event_form(school, **changes):
    today = timezone.localdate()
    data = {
        "school": school.pk,
        "title": "Idrætsdag",
        "starts_on": today + timedelta(days=30),
        "ends_on": today + timedelta(days=31),
        "grade_min": 0,
        "grade_max": 6,
    }
    return {**data, **changes}


def occasion_form(start, **changes):
    data = {
        "starts_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Hallen",
        "capacity": 2,
        "capacity_unit": "classes",
        "extra_sessions": "",
    }
    return {**data, **changes}


def pool_form(**changes):
    return {"school_year": 2026, "amount": "400000", "municipality_share_percent": 50, **changes}


# --- School events ------------------------------------------------------------------------


def test_school_event_form_sent_twice_adds_one_event(client, teacher, school):
    client.force_login(teacher)
    url = f"{EVENT_URL}?school={school.pk}"
    data = event_form(school, submit_key=form_key(client, url))
    first, second = client.post(EVENT_URL, data), client.post(EVENT_URL, data)
    event = SchoolEvent.objects.get()
    assert event.submit_key == uuid.UUID(data["submit_key"]) and event.created_by == teacher
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("bookings:my_school")
    assert texts(second) == ["Arrangementet er i skolens kalender."]
    # The page's next form is another event.
    client.post(EVENT_URL, event_form(school, submit_key=form_key(client, url)))
    assert SchoolEvent.objects.count() == 2


def test_school_event_without_a_key_adds_as_before(client, teacher, school):
    client.force_login(teacher)
    for _ in range(2):
        assert client.post(EVENT_URL, event_form(school)).status_code == 302
    assert SchoolEvent.objects.count() == 2


def test_someone_elses_school_event_key_adds_their_own_event(
    client, teacher, school, other_teacher, other_school
):
    key = str(uuid.uuid4())
    client.force_login(teacher)
    client.post(EVENT_URL, event_form(school, submit_key=key))
    client.force_login(other_teacher)
    response = client.post(EVENT_URL, event_form(other_school, title="Skolefest", submit_key=key))
    assert response.status_code == 302
    mine, theirs = SchoolEvent.objects.order_by("pk")
    assert (mine.school, mine.title) == (school, "Idrætsdag")
    assert (theirs.school, theirs.created_by, theirs.title) == (
        other_school,
        other_teacher,
        "Skolefest",
    )


def test_malformed_school_event_key_is_a_form_error(client, teacher, school):
    client.force_login(teacher)
    response = client.post(EVENT_URL, event_form(school, submit_key="nope"))
    assert response.status_code == 200 and response.context["form"].errors["submit_key"]
    assert not SchoolEvent.objects.exists()


# --- Occasions ----------------------------------------------------------------------------


def test_occasion_form_sent_twice_adds_one_date(client, association_member, published_offer):
    url = reverse("bookings:occasions", args=[published_offer.pk])
    client.force_login(association_member)
    data = occasion_form(school_day(25), submit_key=form_key(client, url))
    first, second = client.post(url, data), client.post(url, data)
    occasion = Occasion.objects.get()
    assert occasion.offer == published_offer
    assert occasion.submit_key == uuid.UUID(data["submit_key"])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url
    assert texts(second) == ["Datoen er tilføjet."]
    client.post(url, occasion_form(school_day(26), submit_key=form_key(client, url)))
    assert Occasion.objects.count() == 2


def test_occasion_key_sent_for_another_offer_adds_a_date_there(
    client, association_member, published_offer, other_association_admin, other_association
):
    """The key counts per offer (an occasion records no creator): the same key sent to
    another association's offer adds that offer's date and shows nothing of the first."""
    other_offer = f.OfferFactory(association=other_association, published=True)
    key = str(uuid.uuid4())
    client.force_login(association_member)
    client.post(
        reverse("bookings:occasions", args=[published_offer.pk]),
        occasion_form(school_day(25), submit_key=key),
    )
    client.force_login(other_association_admin)
    url = reverse("bookings:occasions", args=[other_offer.pk])
    response = client.post(url, occasion_form(school_day(25), place="Banen", submit_key=key))
    assert response.status_code == 302 and response["Location"] == url
    assert other_offer.occasions.get().place == "Banen"
    assert published_offer.occasions.get().place == "Hallen"


def test_editing_an_occasion_has_no_key(client, association_member, occasion):
    client.force_login(association_member)
    url = reverse("bookings:occasion_edit", args=[occasion.pk])
    page = client.get(url)
    assert "submit_key" not in page.context["form"].fields
    assert not KEY.findall(page.content.decode())


def test_the_service_returns_the_first_occasion(published_offer):
    key = uuid.uuid4()
    start = school_day(25)

    def new():
        return Occasion(
            offer=published_offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2
        )

    first = services.add_occasion(new(), submit_key=key)
    again = services.add_occasion(new(), submit_key=key)
    assert again == first and Occasion.objects.count() == 1


# --- Subsidy pools ------------------------------------------------------------------------


def test_opening_a_pool_twice_is_a_field_error_and_opens_one(client, consultant, municipality):
    client.force_login(consultant)
    assert client.post(POOL_URL, pool_form()).status_code == 302
    again = client.post(POOL_URL, pool_form(amount="1"))
    assert again.status_code == 200
    assert again.context["form"].errors["school_year"] == [
        "Der er allerede en pulje for dette skoleår."
    ]
    pool = SubsidyPool.objects.get()
    assert pool.municipality == municipality and pool.amount == 400000


def test_another_municipality_opens_its_own_pool_for_the_year(client, consultant, other_consultant):
    for user in (consultant, other_consultant):
        client.force_login(user)
        assert client.post(POOL_URL, pool_form()).status_code == 302
    assert SubsidyPool.objects.count() == 2


# --- Two submits at the same moment (PostgreSQL) -----------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_the_school_event_form_add_one_event():
    membership = f.SchoolMembershipFactory()
    clients = [_logged_in(membership.user) for _ in range(2)]
    data = event_form(membership.school, submit_key=str(uuid.uuid4()))

    responses = run_concurrently(2, lambda i: clients[i].post(EVENT_URL, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    assert {r["Location"] for r in responses} == {reverse("bookings:my_school")}
    assert SchoolEvent.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_the_occasion_form_add_one_date():
    municipality = f.MunicipalityFactory()
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(association=association, published=True)
    member = f.AssociationMembershipFactory(association=association).user
    url = reverse("bookings:occasions", args=[offer.pk])
    clients = [_logged_in(member) for _ in range(2)]
    data = occasion_form(school_day(25), submit_key=str(uuid.uuid4()))

    responses = run_concurrently(2, lambda i: clients[i].post(url, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    assert {r["Location"] for r in responses} == {url}
    assert Occasion.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_opens_of_a_pool_open_one_and_the_second_gets_the_field_error():
    """The second insert waits at bookings_pool_one_per_year for the first to commit, then
    fails there and is shown the form's error, not a 500."""
    consultant = f.ConsultantFactory().user
    clients = [_logged_in(consultant) for _ in range(2)]

    responses = run_concurrently(2, lambda i: clients[i].post(POOL_URL, pool_form()))

    assert sorted(r.status_code for r in responses) == [200, 302], responses
    (refused,) = [r for r in responses if r.status_code == 200]
    assert "Der er allerede en pulje for dette skoleår." in refused.content.decode()
    assert SubsidyPool.objects.count() == 1
