"""Schools are screened too: /school/join/ and /school/staff/."""

import pytest

from schools import staff as school_services
from schools.models import SchoolMembership
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_join_needs_login_and_a_confirmed_email(client, school):
    assert client.get("/school/join/").status_code == 302
    user = f.UserFactory(email_confirmed_at=None)
    client.force_login(user)
    client.post("/school/join/", {"school": school.pk, "role": "teacher"})
    assert not SchoolMembership.objects.filter(user=user).exists()


def test_join_waits_for_approval(client, school):
    user = f.UserFactory(email="lærer@gmail.example")
    client.force_login(user)
    response = client.post("/school/join/", {"school": school.pk, "role": "teacher"})
    assert response.status_code == 302
    membership = SchoolMembership.objects.get(user=user)
    assert not membership.is_approved
    assert not user.is_school_staff


def test_join_is_auto_approved_for_a_school_domain(client, school, municipality):
    municipality.school_email_domains = "@skolekom.helsingor.dk\n"
    municipality.save()
    user = f.UserFactory(email="anna@SKOLEKOM.helsingor.dk")
    client.force_login(user)
    client.post("/school/join/", {"school": school.pk, "role": "teacher"})
    membership = SchoolMembership.objects.get(user=user)
    assert membership.is_approved and membership.role == "teacher"


def test_a_leader_role_waits_for_approval_even_on_a_school_domain(client, school, municipality):
    # Leaders approve others, so the e-mail domain alone must not make anyone a principal.
    municipality.school_email_domains = "skolekom.helsingor.dk"
    municipality.save()
    user = f.UserFactory(email="bo@skolekom.helsingor.dk")
    client.force_login(user)
    client.post("/school/join/", {"school": school.pk, "role": "principal"})
    assert not SchoolMembership.objects.get(user=user).is_approved


def test_join_twice_shows_an_error(client, school):
    user = f.UserFactory()
    client.force_login(user)
    client.post("/school/join/", {"school": school.pk, "role": "teacher"})
    response = client.post("/school/join/", {"school": school.pk, "role": "teacher"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_department_head_approves_staff_of_own_school(client, school, department_head):
    pending = f.SchoolMembershipFactory(school=school, is_approved=False, approved_at=None)
    client.force_login(department_head)
    response = client.get("/school/staff/")
    assert response.status_code == 200 and pending in response.context["pending"]
    client.post(f"/school/staff/{pending.pk}/decide/", {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.is_approved and pending.approved_by == department_head


def test_decline_removes_the_request(client, school, department_head):
    pending = f.SchoolMembershipFactory(school=school, is_approved=False, approved_at=None)
    client.force_login(department_head)
    client.post(f"/school/staff/{pending.pk}/decide/", {"decision": "decline"})
    assert not SchoolMembership.objects.filter(pk=pending.pk).exists()


def test_leader_of_another_school_gets_404(client, school, other_school):
    pending = f.SchoolMembershipFactory(school=school, is_approved=False, approved_at=None)
    leader = f.SchoolMembershipFactory(school=other_school, role="principal").user
    client.force_login(leader)
    assert pending not in client.get("/school/staff/").context["pending"]
    response = client.post(f"/school/staff/{pending.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 404
    pending.refresh_from_db()
    assert not pending.is_approved


def test_teachers_and_strangers_have_no_staff_page(client, teacher):
    client.force_login(teacher)
    assert client.get("/school/staff/").status_code == 403
    client.force_login(f.UserFactory())
    assert client.get("/school/staff/").status_code == 403


def test_pending_leader_cannot_approve(school):
    unapproved_head = f.SchoolMembershipFactory(
        school=school, role="department_head", is_approved=False
    ).user
    pending = f.SchoolMembershipFactory(school=school, is_approved=False)
    assert not school_services.can_approve(unapproved_head, pending)


def test_consultant_of_the_municipality_may_approve_others_not(
    consultant, other_consultant, school
):
    pending = f.SchoolMembershipFactory(school=school, is_approved=False)
    assert school_services.can_approve(consultant, pending)
    assert not school_services.can_approve(other_consultant, pending)
    with pytest.raises(school_services.MembershipError):
        school_services.approve(pending, by=other_consultant)


def test_nobody_approves_themselves(school):
    membership = f.SchoolMembershipFactory(school=school, role="principal", is_approved=True)
    own = f.SchoolMembershipFactory(
        user=membership.user,
        school=f.SchoolFactory(municipality=school.municipality),
        is_approved=False,
    )
    assert not school_services.can_approve(membership.user, own)


def test_approval_is_mailed_in_the_recipients_language(school, consultant):
    """The role's label is looked up when the e-mail is written, in the teacher's language."""
    from django.utils import translation

    from notifications.models import Notification
    from tests.outbox import written

    pending = f.SchoolMembershipFactory(school=school, is_approved=False)
    pending.user.language = "en"
    pending.user.save(update_fields=["language"])
    with translation.override("da"):
        school_services.approve(pending, by=consultant)
    notification = written(Notification.objects.get(kind="school.membership_approved"))
    assert notification.to_email == pending.user.email
    assert f"approved as Teacher at {school.name}" in notification.body_text
