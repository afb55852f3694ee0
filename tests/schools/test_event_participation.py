"""An offer to take part in a school's event is a dialogue: the association offers, the
school accepts or declines with a message, both write in a thread, both are e-mailed, and
only the event's school and the offering association see any of it."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from schools.models import EventMessage, EventParticipation, SchoolEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

EVENTS = reverse("schools:school_events")
KEY = re.compile(r'name="submit_key" value="([0-9a-f-]{36})"')


@pytest.fixture
def event(school, teacher):
    day = timezone.localdate() + timedelta(days=40)
    return SchoolEvent.objects.create(
        school=school,
        title="Idrætsdag",
        starts_on=day,
        ends_on=day,
        grade_min=0,
        grade_max=6,
        created_by=teacher,
    )


@pytest.fixture
def offered(client, event, association_member, published_offer, django_capture_on_commit_callbacks):
    """The association's member offers to take part through the form."""
    client.force_login(association_member)
    url = reverse("schools:participate", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"offer": published_offer.pk, "message": "Vi kommer gerne med fodbold"}
        )
    assert response.status_code == 302
    return EventParticipation.objects.get()


def _key(client, url) -> str:
    return KEY.findall(client.get(url).content.decode())[0]


def _answer(client, participation, decision, message="", key=None):
    return client.post(
        reverse("schools:participation_answer", args=[participation.pk]),
        {"decision": decision, "message": message, **({"submit_key": key} if key else {})},
    )


def _recipients(kind) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("to_email", flat=True))


def test_the_offer_is_emailed_to_the_school_and_shown_as_offered(
    client, offered, teacher, association_member
):
    assert offered.state == "offered"
    assert _recipients("event.offered") == {teacher.email}
    assert any(teacher.email in m.to for m in mail.outbox)
    html = client.get(EVENTS).content.decode()
    assert "Tilbudt" in html
    assert reverse("schools:participate", args=[offered.event_id]) not in html
    assert offered.get_absolute_url() in html
    page = client.get(offered.get_absolute_url()).content.decode()
    assert "Ret jeres tilbud" in page and "Skolen har ikke svaret endnu." in page
    assert "Send svaret" not in page  # the association cannot answer its own offer
    client.force_login(teacher)
    my_school = client.get(reverse("bookings:my_school")).content.decode()
    assert offered.get_absolute_url() in my_school and "Svar foreningen" in my_school


def test_the_school_accepts_with_a_message_and_the_association_sees_it(
    client, offered, teacher, association_member, association, django_capture_on_commit_callbacks
):
    client.force_login(teacher)
    url = offered.get_absolute_url()
    key = _key(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(client, offered, "accept", "Velkommen kl. 9 på boldbanen", key)
    assert response.status_code == 302 and response["Location"] == url
    offered.refresh_from_db()
    assert (offered.state, offered.answer, offered.answered_by) == (
        "accepted",
        "Velkommen kl. 9 på boldbanen",
        teacher,
    )
    assert _recipients("event.answered") == {association_member.email, association.contact_email}
    sent = [m for m in mail.outbox if association_member.email in m.to]
    assert "accepteret" in sent[-1].subject and "boldbanen" in sent[-1].body
    client.force_login(association_member)
    html = client.get(EVENTS).content.decode()
    assert "Accepteret" in html and "Velkommen kl. 9 på boldbanen" in html
    assert reverse("schools:participate", args=[offered.event_id]) not in html
    assert "Ret jeres tilbud" not in client.get(url).content.decode()
    # The offer form now leads to the thread: the answered offer is not changed there.
    participate = reverse("schools:participate", args=[offered.event_id])
    assert client.get(participate)["Location"] == url
    client.post(participate, {"message": "Noget helt andet"})
    offered.refresh_from_db()
    assert offered.message == "Vi kommer gerne med fodbold" and offered.state == "accepted"


def test_the_same_answer_sent_twice_is_one_answer_and_one_email(
    client, offered, teacher, django_capture_on_commit_callbacks
):
    client.force_login(teacher)
    key = _key(client, offered.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        first = _answer(client, offered, "decline", "Desværre fuldt", key)
        offered.refresh_from_db()
        answered_at = offered.answered_at
        second = _answer(client, offered, "decline", "Desværre fuldt", key)
    assert first["Location"] == second["Location"]
    offered.refresh_from_db()
    assert offered.state == "declined" and offered.answered_at == answered_at
    assert Notification.objects.filter(kind="event.answered").count() == 2  # member + contact
    # A new answer (a new form) changes the decision and tells the association again.
    with django_capture_on_commit_callbacks(execute=True):
        _answer(client, offered, "accept", "", _key(client, offered.get_absolute_url()))
    offered.refresh_from_db()
    assert offered.state == "accepted" and offered.answer == ""
    assert Notification.objects.filter(kind="event.answered").count() == 4


def test_only_the_events_school_answers(
    client, offered, association_member, other_teacher, consultant, other_association_admin
):
    url = offered.get_absolute_url()
    client.force_login(association_member)
    assert client.get(url).status_code == 200
    assert _answer(client, offered, "accept").status_code == 403
    for outsider in (other_teacher, consultant, other_association_admin, f.UserFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert _answer(client, offered, "accept").status_code == 404
        message_url = reverse("schools:participation_message", args=[offered.pk])
        assert client.post(message_url, {"body": "Hej"}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    offered.refresh_from_db()
    assert offered.state == "offered" and not EventMessage.objects.exists()


def test_a_wrong_answer_is_shown_on_the_form(client, offered, teacher):
    client.force_login(teacher)
    for data in ({"decision": "maybe"}, {"decision": "accept", "message": "a\x00b"}, {}):
        response = client.post(reverse("schools:participation_answer", args=[offered.pk]), data)
        assert response.status_code == 200 and response.context["answer_form"].errors
    offered.refresh_from_db()
    assert offered.state == "offered"


def test_both_sides_write_in_the_thread_and_the_other_side_is_emailed(
    client, offered, teacher, association_member, association, django_capture_on_commit_callbacks
):
    message_url = reverse("schools:participation_message", args=[offered.pk])
    client.force_login(association_member)
    key = _key(client, offered.get_absolute_url())
    data = {"body": "Skal vi selv have bolde med?", "submit_key": key}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(message_url, data)
        second = client.post(message_url, data)
    assert first["Location"] == second["Location"] == offered.get_absolute_url() + "#messages"
    assert EventMessage.objects.get().author_side == "association"
    assert _recipients("event.message") == {teacher.email}
    client.force_login(teacher)
    html = client.get(offered.get_absolute_url()).content.decode()
    assert "Skal vi selv have bolde med?" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(message_url, {"body": "Nej, dem har vi"})
    assert EventMessage.objects.count() == 2
    assert _recipients("event.message") == {
        teacher.email,
        association_member.email,
        association.contact_email,
    }
    client.force_login(association_member)
    assert "Nej, dem har vi" in client.get(offered.get_absolute_url()).content.decode()


def test_an_empty_message_is_an_error_on_the_form(client, offered, association_member):
    client.force_login(association_member)
    url = reverse("schools:participation_message", args=[offered.pk])
    for body in ("", "   ", "a\x00b"):
        response = client.post(url, {"body": body, "submit_key": str(uuid.uuid4())})
        assert response.status_code == 200 and response.context["message_form"].errors
    assert not EventMessage.objects.exists()


def test_another_association_of_the_municipality_sees_only_its_own_offer(
    client, offered, other_association_admin
):
    client.force_login(other_association_admin)
    html = client.get(EVENTS).content.decode()
    assert "Tilbudt" not in html
    assert reverse("schools:participate", args=[offered.event_id]) in html


def test_the_page_speaks_english(client, offered, teacher):
    client.force_login(teacher)
    client.cookies["portal_language"] = "en"
    html = client.get(offered.get_absolute_url()).content.decode()
    assert "Answer the association" in html and "Accept the offer" in html
