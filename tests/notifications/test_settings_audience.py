"""The settings page offers only the e-mails that can concern the user, and its POST changes
nothing else: a teacher is never offered the consultants' digests."""

import pytest

from notifications import kinds, services
from notifications.forms import PreferencesForm
from notifications.models import NotificationPreference
from tests import factories as f

pytestmark = pytest.mark.django_db

SETTINGS = "/notifications/settings/"
CONSULTANT_KINDS = {"screening.submitted", "screening.digest", "consultant.weekly_digest"}
SCHOOL_KINDS = {"need_answered", "event.offered"}
#: Also the network meetings' reminder: schools and associations sign up for them.
BOOKING_KINDS = {
    "booking.message",
    "booking.evaluation",
    "event.message",
    "partnerships.network_reminder",
}
#: The reminder of a partnership's yearly figures (partnerships.figures).
PARTNER_KINDS = {"partnerships.figures"}


def _offered(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    html = response.content.decode()
    return {k.code for k in kinds.optional_kinds() if PreferencesForm.field_name(k.code) in html}


def test_every_optional_kind_says_whom_it_concerns():
    assert {
        k.code for k in kinds.optional_kinds()
    } == CONSULTANT_KINDS | SCHOOL_KINDS | BOOKING_KINDS | PARTNER_KINDS
    assert all(k.audience for k in kinds.optional_kinds())
    # schools.apps registers need_answered again: the audience survives.
    assert kinds.get("need_answered").audience == kinds.SCHOOLS


def test_a_teacher_is_offered_school_and_booking_kinds_only(client, teacher):
    assert _offered(client, teacher) == SCHOOL_KINDS | BOOKING_KINDS
    html = client.get(SETTINGS).content.decode()
    assert "En indsendelse venter på screening" not in html
    assert "Ugentlig oversigt til konsulenter" not in html


def test_an_association_member_is_offered_booking_and_partnership_kinds(client, association_member):
    assert _offered(client, association_member) == BOOKING_KINDS | PARTNER_KINDS


def test_a_consultant_is_offered_the_consultant_kinds(client, consultant):
    assert _offered(client, consultant) == CONSULTANT_KINDS


def test_someone_with_several_roles_is_offered_each_roles_kinds(client, consultant, school):
    f.SchoolMembershipFactory(school=school, user=consultant, role="teacher")
    assert _offered(client, consultant) == CONSULTANT_KINDS | SCHOOL_KINDS | BOOKING_KINDS


def test_a_user_without_a_role_is_told_there_is_nothing_to_turn_off(client):
    assert _offered(client, f.UserFactory()) == set()
    html = client.get(SETTINGS).content.decode()
    assert "Ingen af de e-mails, du kan slå fra, vedrører dig endnu." in html
    assert "Vælg en ny adgangskode" in html  # always sent, to everyone
    assert "Påmindelse før et arrangement" not in html


def test_always_sent_lists_only_the_users_kinds(client, teacher, association_member):
    client.force_login(teacher)
    essential = client.get(SETTINGS).context["essential_kinds"]
    codes = {k.code for k in essential}
    assert "booking.reminder" in codes and "password_reset" in codes
    assert "screening.approved" not in codes and "association_join_request" not in codes
    client.force_login(association_member)
    codes = {k.code for k in client.get(SETTINGS).context["essential_kinds"]}
    assert {"screening.approved", "association_join_request", "booking.reminder"} <= codes


def test_a_posted_kind_that_is_not_offered_is_ignored(client, teacher):
    client.force_login(teacher)
    data = {PreferencesForm.field_name(k): "on" for k in SCHOOL_KINDS | BOOKING_KINDS}
    # The consultants' kinds are left unticked (off) in the post, and one is posted as "on":
    # neither changes the teacher's preferences.
    data[PreferencesForm.field_name("screening.digest")] = "on"
    response = client.post(SETTINGS, data)
    assert response.status_code == 302
    stored = set(NotificationPreference.objects.filter(user=teacher).values_list("kind", flat=True))
    assert stored == SCHOOL_KINDS | BOOKING_KINDS
    assert services.wants(teacher, "consultant.weekly_digest")
    assert services.wants(teacher, "screening.submitted")
