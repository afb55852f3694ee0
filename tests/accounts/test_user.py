import pytest
from django.contrib.auth import authenticate

from accounts.models import User
from tests import factories as f


@pytest.mark.django_db
def test_user_logs_in_with_email_not_username(rf):
    user = User.objects.create_user("Anna@Example.COM", "s3cret-pass", full_name="Anna")
    assert user.email == "anna@example.com"
    assert not hasattr(user, "username")
    request = rf.post("/login/")
    assert authenticate(request, username="anna@example.com", password="s3cret-pass") == user
    assert authenticate(request, username="ANNA@example.com", password="s3cret-pass") == user


@pytest.mark.django_db
def test_roles_come_from_memberships(teacher, association_admin, consultant, municipality):
    assert teacher.is_school_staff and not teacher.is_consultant
    assert association_admin.is_association_member and not association_admin.is_school_staff
    assert consultant.is_consultant and consultant.consultant_municipality == municipality


@pytest.mark.django_db
def test_unapproved_school_staff_has_no_school_role(school):
    user = f.SchoolMembershipFactory(school=school, is_approved=False).user
    assert not user.is_school_staff


@pytest.mark.django_db
def test_login_page_asks_for_email(client):
    html = client.get("/login/").content.decode()
    assert 'type="email"' in html and 'name="username"' in html


@pytest.mark.django_db
def test_me_redirects_by_role(client, teacher, consultant):
    client.force_login(teacher)
    assert client.get("/me/")["Location"] == "/school/"
    client.force_login(consultant)
    assert client.get("/me/")["Location"] == "/dashboard/"
