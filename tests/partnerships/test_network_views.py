"""Network meetings and open events through the pages: who sees an event, who may sign up
for which party, the waiting list and the summary; the consultant's admin (their
municipality's events, invitations e-mailed once, attendance); the person's data export."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from partnerships.network import services
from partnerships.network.models import NetworkEvent, Registration
from tests import factories as f

from .network_helpers import make_event

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


@pytest.fixture
def meeting(municipality, partnership):
    event = make_event(municipality, title="Netværksmøde for ressourcepersoner", capacity=4)
    services.invite(event, [partnership])
    return event


@pytest.fixture
def open_event(municipality):
    return make_event(municipality, title="Videndeling om forløb", audience="open", capacity=30)


def sign_up(client, event, party, n=1, key=None):
    data = {"party": f"{party._meta.model_name}-{party.pk}", "participants": n}
    if key:
        data["submit_key"] = key
    return client.post(url("event_register", event.pk), data)


def test_an_invited_partner_sees_the_invitation_and_signs_up(
    client, association_member, association, meeting
):
    client.force_login(association_member)
    page = client.get(url("association", association.slug)).content.decode()
    assert meeting.title in page and url("event", meeting.pk) in page
    # Once, in the page: the browser's tab title is text only.
    assert page.count('id="invitations-heading"') == 1
    title = page[page.index("<title>") + 7 : page.index("</title>")]
    assert "<" not in title and title.endswith("Åben Skole-portalen")
    detail = client.get(url("event", meeting.pk))
    assert detail.status_code == 200
    assert 'name="participants"' in detail.content.decode()
    response = sign_up(client, meeting, association, 3)
    assert response.status_code == 302 and response["Location"] == url("event", meeting.pk)
    row = Registration.objects.get()
    assert (row.association, row.participants, row.state) == (association, 3, "confirmed")
    assert row.registered_by == association_member
    page = client.get(url("association", association.slug)).content.decode()
    assert "Tilmeldt" in page
    # Changing the number starts from the 3 signed up, not from 1.
    detail = client.get(url("event", meeting.pk)).content.decode()
    assert 'name="participants" value="3"' in detail


def test_a_double_click_signs_up_once(client, association_member, association, meeting):
    client.force_login(association_member)
    key = str(uuid.uuid4())
    sign_up(client, meeting, association, 2, key)
    response = sign_up(client, meeting, association, 2, key)
    assert response.status_code == 302
    assert Registration.objects.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert len(messages) == 1
    # Back in the browser, another number typed into the same form: the number changes.
    sign_up(client, meeting, association, 3, key)
    assert Registration.objects.get().participants == 3


def test_the_sign_up_form_sent_again_after_cancelling_signs_up_anew(
    client, association_member, association, meeting
):
    """Cancelled, then back in the browser to the sign-up form and sent again: a new sign-up,
    not "you are signed up" answered with the cancelled one."""
    client.force_login(association_member)
    key = str(uuid.uuid4())
    sign_up(client, meeting, association, 2, key)
    first = Registration.objects.get()
    client.post(url("event_cancel", meeting.pk, first.pk))
    first.refresh_from_db()
    assert first.state == "cancelled"
    for _click in range(2):  # and a double click of it signs up once
        sign_up(client, meeting, association, 2, key)
    again = Registration.objects.active().get()
    assert again.pk != first.pk and (again.state, again.participants) == ("confirmed", 2)
    page = client.get(url("event", meeting.pk)).content.decode()
    assert "Tilmeldt" in page


def test_a_full_room_puts_the_partners_school_on_the_waiting_list(
    client, association_member, association, teacher, school, meeting
):
    client.force_login(association_member)
    sign_up(client, meeting, association, 4)
    client.force_login(teacher)  # the partnership's school is a partner too
    assert client.get(url("event", meeting.pk)).status_code == 200
    response = sign_up(client, meeting, school, 2)
    assert response.status_code == 302
    assert Registration.objects.get(school=school).state == "waiting"
    assert "venteliste" in client.get(url("event", meeting.pk)).content.decode()
    # The association cancels: the school moves up and is told.
    client.force_login(association_member)
    row = Registration.objects.get(association=association)
    assert client.post(url("event_cancel", meeting.pk, row.pk)).status_code == 302
    assert Registration.objects.get(school=school).state == "confirmed"
    assert Notification.objects.filter(kind=services.PLACE_KIND, to_email=teacher.email).exists()


def test_a_partner_not_invited_neither_sees_nor_signs_up(
    client, other_association_admin, other_association, other_teacher, other_school, meeting
):
    for user, party in (
        (other_association_admin, other_association),
        (other_teacher, other_school),
    ):
        client.force_login(user)
        assert client.get(url("event", meeting.pk)).status_code == 404
        assert sign_up(client, meeting, party, 1).status_code == 404
        assert meeting.title not in client.get(url("events")).content.decode()
    assert not Registration.objects.exists()


def test_a_partner_cannot_sign_up_another_party(
    client, association_member, other_association, association, meeting
):
    client.force_login(association_member)
    response = sign_up(client, meeting, other_association, 1)
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_another_municipality_never_sees_an_event(
    client, other_consultant, open_event, meeting, other_municipality
):
    staff = f.SchoolMembershipFactory(school__municipality=other_municipality).user
    for user in (other_consultant, staff):
        client.force_login(user)
        for event in (open_event, meeting):
            assert client.get(url("event", event.pk)).status_code == 404
        assert open_event.title not in client.get(url("events")).content.decode()
    admin_page = client.get(f"/admin/partnerships/networkevent/{open_event.pk}/change/")
    assert admin_page.status_code in (302, 404)


def test_anyone_of_the_municipality_signs_up_for_an_open_event(
    client, other_teacher, other_school, other_association_admin, other_association, open_event
):
    client.force_login(other_teacher)
    events = client.get(url("events"))
    assert open_event in events.context["upcoming"]
    assert sign_up(client, open_event, other_school, 5).status_code == 302
    client.force_login(other_association_admin)
    assert sign_up(client, open_event, other_association, 2).status_code == 302
    assert Registration.objects.filter(state="confirmed").count() == 2


def test_my_school_lists_the_open_events(client, teacher, open_event):
    client.force_login(teacher)
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert open_event.title in page


def test_anonymous_visitors_are_sent_to_log_in(client, open_event):
    for name, args in (("events", ()), ("event", (open_event.pk,))):
        response = client.get(url(name, *args))
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("value", ["0", "-1", "51", "x", "\x00", "9" * 30])
def test_impossible_numbers_are_form_errors(client, teacher, school, open_event, value):
    client.force_login(teacher)
    response = client.post(
        url("event_register", open_event.pk),
        {"party": f"school-{school.pk}", "participants": value},
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_hostile_ids_give_404(client, teacher, open_event):
    client.force_login(teacher)
    assert client.get(f"/events/{2**70}/").status_code == 404
    response = client.post(url("event_cancel", open_event.pk, 2**40))
    assert response.status_code == 404


def test_the_summary_is_shown_to_invitees_afterwards(
    client, association_member, association, meeting
):
    services.register(meeting, association, user=association_member, participants=2)
    past = timezone.now() - timedelta(days=2)
    NetworkEvent.objects.filter(pk=meeting.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=2), summary="Vi aftalte fælles kursus."
    )
    client.force_login(association_member)
    events = client.get(url("events"))
    assert meeting in events.context["past"]
    page = client.get(url("event", meeting.pk)).content.decode()
    assert "Vi aftalte fælles kursus." in page
    assert 'name="participants"' not in page  # sign-up has closed


# --- The consultant's admin -------------------------------------------------------------------

ADMIN = "/admin/partnerships/networkevent/"


def admin_data(**fields):
    start = timezone.localtime() + timedelta(days=30)
    data = {
        "kind": "network",
        "title": "Netværksmøde",
        "description": "",
        "starts_at": start.strftime("%Y-%m-%dT17:00"),
        "ends_at": start.strftime("%Y-%m-%dT19:00"),
        "place": "Kulturværftet",
        "capacity": "20",
        "audience": "invited",
        "summary": "",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_the_consultant_plans_a_meeting_and_invites_every_partner_once(
    client, consultant, municipality, partnership, foreign_partnership
):
    client.force_login(consultant)
    assert client.get(ADMIN + "add/").status_code == 200
    response = client.post(ADMIN + "add/", admin_data(invite_all="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = NetworkEvent.objects.get()
    assert event.municipality == municipality and event.created_by == consultant
    assert list(event.invitations.values_list("partnership", flat=True)) == [partnership.pk]
    change = f"{ADMIN}{event.pk}/change/"
    assert client.post(change, admin_data(invite_all="on")).status_code == 302
    assert Notification.objects.filter(kind=services.INVITATION_KIND).count() == 1


def test_a_foreign_partnership_cannot_be_invited(
    client, consultant, partnership, foreign_partnership
):
    client.force_login(consultant)
    response = client.post(ADMIN + "add/", admin_data(invite=[foreign_partnership.pk]))
    assert response.status_code == 200
    assert not NetworkEvent.objects.exists()


def test_an_event_must_end_after_it_starts(client, consultant):
    client.force_login(consultant)
    start = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT")
    data = admin_data(starts_at=start + "17:00", ends_at=start + "16:00")
    assert client.post(ADMIN + "add/", data).status_code == 200
    assert not NetworkEvent.objects.exists()


def test_the_consultant_records_attendance_and_the_summary(
    client, consultant, association, association_member, meeting
):
    row = services.register(meeting, association, user=association_member, participants=3)
    client.force_login(consultant)
    change = f"{ADMIN}{meeting.pk}/change/"
    assert client.get(change).status_code == 200
    start = timezone.localtime(meeting.starts_at)
    data = admin_data(
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
        capacity="4",
        summary="Referat: næste møde i marts.",
        **{
            "registrations-TOTAL_FORMS": "1",
            "registrations-INITIAL_FORMS": "1",
            "registrations-0-id": str(row.pk),
            "registrations-0-event": str(meeting.pk),
            "registrations-0-attended": "2",
        },
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    meeting.refresh_from_db()
    assert row.attended == 2 and row.participants == 3
    assert meeting.summary == "Referat: næste møde i marts."
    smaller = {**data, "capacity": "2"}
    response = client.post(change, smaller)
    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors


def test_the_consultant_signs_up_an_invited_leisure_club(
    client, consultant, municipality, club, meeting
):
    from tests.outbox import written

    from .conftest import make_partnership

    club_partnership = make_partnership(
        municipality, consultant, institution=club, resource_email="klub@example.org"
    )
    services.invite(meeting, [club_partnership])
    invitation = written(
        Notification.objects.get(kind=services.INVITATION_KIND, to_email="klub@example.org")
    )
    assert consultant.email in invitation.body_text  # it answers its contact person
    client.force_login(consultant)
    change = f"{ADMIN}{meeting.pk}/change/"
    assert "sign_up_institution" in client.get(change).content.decode()
    times = {
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "4",
    }
    too_many = admin_data(**times, sign_up_institution=club.pk, sign_up_participants="5")
    assert client.post(change, too_many).status_code == 200
    data = admin_data(**times, sign_up_institution=club.pk, sign_up_participants="3")
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = Registration.objects.get()
    assert (row.institution, row.participants, row.state) == (club, 3, "confirmed")
    # A club not invited cannot be chosen.
    other = type(club).objects.create(municipality=municipality, name="Klub Syd", kind="club")
    data = admin_data(**times, sign_up_institution=other.pk, sign_up_participants="1")
    assert client.post(change, data).status_code == 200
    assert Registration.objects.count() == 1


def test_the_consultant_sees_only_their_municipalitys_events(
    client, consultant, municipality, other_municipality
):
    mine = make_event(municipality, title="Vores møde")
    theirs = make_event(other_municipality, title="Deres møde")
    client.force_login(consultant)
    page = client.get(ADMIN).content.decode()
    assert mine.title in page and theirs.title not in page
    assert client.get(f"{ADMIN}{theirs.pk}/change/").status_code == 302


# --- GDPR -------------------------------------------------------------------------------------


def test_a_persons_sign_ups_are_in_their_export_and_stay_without_them(
    association_member, association, meeting
):
    from privacy.services import delete_account, export_json

    services.register(meeting, association, user=association_member, participants=2)
    Registration.objects.update(attended=2)
    exported = json.loads(export_json(association_member))["event_sign_ups"]
    assert exported[0]["event__title"] == meeting.title
    assert exported[0]["participants"] == 2 and exported[0]["attended"] == 2
    delete_account(association_member)
    row = Registration.objects.get()
    assert row.registered_by is None
    assert (row.association, row.participants, row.attended) == (association, 2, 2)


def test_the_knowledge_bank_links_the_open_events(client, teacher, open_event, meeting):
    client.force_login(teacher)
    page = client.get(reverse("knowledge:list")).content.decode()
    assert open_event.title in page and url("event", open_event.pk) in page
    assert meeting.title not in page  # invite-only meetings are not listed there


def test_the_knowledge_bank_lists_only_events_the_visitor_may_open(client, open_event):
    """A signed-in visitor with no school or association in the municipality gets no link
    that would end in a 404 (the event page is for its schools and associations)."""
    stranger = f.UserFactory()
    client.force_login(stranger)
    page = client.get(reverse("knowledge:list")).content.decode()
    assert open_event.title not in page
    assert client.get(url("event", open_event.pk)).status_code == 404
