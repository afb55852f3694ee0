"""A second click never creates a second thing: a need posted twice, an answer sent twice.

Both forms carry a key (``portal.forms.SubmitKeyField``) that the service stores under a
unique constraint per sender (``portal.submitkeys``).
"""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from schools.models import NeedAnswer, SchoolNeed
from tests import factories as f
from tests.bookings.conftest import run_concurrently
from tests.bookings.test_idempotency import _logged_in, form_key, texts

from .factories import SchoolNeedFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("schools:need_create")


def need_form(school, **changes):
    today = timezone.localdate()
    data = {
        "school": school.pk,
        "title": "Idrætsdag i uge 40",
        "description": "Stationer for 5. årgang.",
        "grade_min": 5,
        "grade_max": 5,
        "period_start": today + timedelta(days=10),
        "period_end": today + timedelta(days=12),
    }
    return {**data, **changes}


@pytest.fixture
def need(school, teacher):
    return SchoolNeedFactory(school=school, created_by=teacher)


# --- Posting a need -----------------------------------------------------------------------


def test_need_form_sent_twice_posts_one_need(client, teacher, school):
    client.force_login(teacher)
    data = need_form(school, submit_key=form_key(client, CREATE))
    first, second = client.post(CREATE, data), client.post(CREATE, data)
    need = SchoolNeed.objects.get()
    assert need.submit_key == uuid.UUID(data["submit_key"]) and need.created_by == teacher
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == need.get_absolute_url()
    assert texts(second) == ["Jeres behov er slået op."]
    # The page's next form is another need.
    client.post(CREATE, need_form(school, submit_key=form_key(client, CREATE)))
    assert SchoolNeed.objects.count() == 2


def test_need_form_without_a_key_posts_as_before(client, teacher, school):
    client.force_login(teacher)
    for _ in range(2):
        assert client.post(CREATE, need_form(school)).status_code == 302
    assert SchoolNeed.objects.count() == 2


def test_someone_elses_need_key_posts_their_own_need(client, teacher, school, department_head):
    """Two staff of the same school with the same key: each gets a need of their own."""
    key = str(uuid.uuid4())
    client.force_login(teacher)
    client.post(CREATE, need_form(school, submit_key=key))
    mine = SchoolNeed.objects.get()
    client.force_login(department_head)
    response = client.post(CREATE, need_form(school, title="Lejrskole", submit_key=key))
    theirs = SchoolNeed.objects.exclude(pk=mine.pk).get()
    assert (theirs.title, theirs.created_by) == ("Lejrskole", department_head)
    assert response["Location"] == theirs.get_absolute_url()


def test_malformed_need_key_is_a_form_error(client, teacher, school):
    client.force_login(teacher)
    response = client.post(CREATE, need_form(school, submit_key="nope"))
    assert response.status_code == 200 and response.context["form"].errors["submit_key"]
    assert not SchoolNeed.objects.exists()


# --- Answering a need ---------------------------------------------------------------------


def test_answer_sent_twice_is_sent_once(client, need, association_admin, association):
    url = need.get_absolute_url()
    client.force_login(association_admin)
    data = {
        "association": association.pk,
        "message": "Vi kan!",
        "submit_key": form_key(client, url),
    }
    first, second = client.post(url, data), client.post(url, data)
    answer = NeedAnswer.objects.get()
    assert answer.submit_key == uuid.UUID(data["submit_key"])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url
    assert texts(second) == ["Dit svar er sendt til skolen."]
    assert Notification.objects.filter(key__startswith="need-answer-").count() == 1
    client.post(url, {**data, "message": "Og mere", "submit_key": form_key(client, url)})
    assert NeedAnswer.objects.count() == 2


def test_answer_key_sent_to_another_need_shows_the_first_need(
    client, need, school, teacher, association_admin, association
):
    other = SchoolNeedFactory(school=school, created_by=teacher)
    client.force_login(association_admin)
    data = {"association": association.pk, "message": "Vi kan!", "submit_key": str(uuid.uuid4())}
    client.post(need.get_absolute_url(), data)
    response = client.post(other.get_absolute_url(), data)
    assert response["Location"] == need.get_absolute_url()
    assert NeedAnswer.objects.get().need == need


def test_someone_elses_answer_key_sends_their_own_answer(
    client, need, association_admin, association, other_association_admin, other_association
):
    key = str(uuid.uuid4())
    url = need.get_absolute_url()
    client.force_login(association_admin)
    client.post(url, {"association": association.pk, "message": "Fra os", "submit_key": key})
    client.force_login(other_association_admin)
    response = client.post(
        url, {"association": other_association.pk, "message": "Fra dem", "submit_key": key}
    )
    assert response.status_code == 302
    assert sorted(NeedAnswer.objects.values_list("association", "message")) == sorted(
        [(association.pk, "Fra os"), (other_association.pk, "Fra dem")]
    )


# --- Two submits at the same moment (PostgreSQL) -----------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_the_need_form_post_one_need():
    membership = f.SchoolMembershipFactory()
    clients = [_logged_in(membership.user) for _ in range(2)]
    data = need_form(membership.school, submit_key=str(uuid.uuid4()))

    responses = run_concurrently(2, lambda i: clients[i].post(CREATE, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    need = SchoolNeed.objects.get()
    assert {r["Location"] for r in responses} == {need.get_absolute_url()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_an_answer_send_one_answer():
    municipality = f.MunicipalityFactory()
    membership = f.SchoolMembershipFactory(school__municipality=municipality)
    need = SchoolNeedFactory(school=membership.school, created_by=membership.user)
    association = f.AssociationFactory(municipalities=[municipality])
    admin = f.AssociationMembershipFactory(association=association, role="admin").user
    clients = [_logged_in(admin) for _ in range(2)]
    url = need.get_absolute_url()
    data = {"association": association.pk, "message": "Vi kan!", "submit_key": str(uuid.uuid4())}

    responses = run_concurrently(2, lambda i: clients[i].post(url, data))

    assert [r.status_code for r in responses] == [302, 302], responses
    assert {r["Location"] for r in responses} == {url}
    assert NeedAnswer.objects.count() == 1
    assert Notification.objects.filter(key__startswith="need-answer-").count() == 1
