"""A user's roles are read on every request, cheaply, and every change to them counts at once.

Here without the role summary's cache (the test settings' default): everything is read from
the database. ``test_roles_cache.py`` checks the same with the cache on."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.models import Consultant
from schools.models import SchoolMembership
from tests import factories as f

MY_SCHOOL = reverse("bookings:my_school")
DASHBOARD = reverse("dashboard:index")


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return status, len(ctx.captured_queries)


def test_roles_cost_one_query_per_kind_on_every_request(client, teacher):
    client.force_login(teacher)
    client.get(MY_SCHOOL)  # fills what is cached for every user (the municipality's pool)
    first = queries(client, MY_SCHOOL)
    second = queries(client, MY_SCHOOL)
    assert first[0] == second[0] == 200
    # Nothing about the user is kept between requests: the second request reads as much.
    assert second[1] == first[1]
    with CaptureQueriesContext(connection) as ctx:
        client.get(MY_SCHOOL)
    tables = " ".join(q["sql"].split(" FROM ")[1].split()[0] for q in ctx if " FROM " in q["sql"])
    # The user, school memberships, association memberships and the consultant post: once.
    for table in (
        "accounts_user",
        "schools_schoolmembership",
        "associations_associationmembership",
    ):
        assert tables.count(f'"{table}"') == 1, tables
    assert tables.count('"municipalities_consultant"') == 1, tables


def test_a_removed_membership_takes_away_access_at_once(client, teacher, school):
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    SchoolMembership.objects.filter(user=teacher).delete()
    assert client.get(MY_SCHOOL).status_code == 404


def test_an_approval_gives_access_at_once(client, school):
    membership = f.SchoolMembershipFactory(school=school, role="teacher", is_approved=False)
    client.force_login(membership.user)
    assert client.get(MY_SCHOOL).status_code == 404
    membership.is_approved = True
    membership.save()
    assert client.get(MY_SCHOOL).status_code == 200


def test_a_deactivated_consultant_loses_the_dashboard_at_once(client, consultant):
    client.force_login(consultant)
    assert client.get(DASHBOARD).status_code == 200
    post = Consultant.objects.get(user=consultant)
    post.is_active = False
    post.save()
    assert client.get(DASHBOARD).status_code in (302, 403, 404)


def test_a_deactivated_account_is_signed_out_at_once(client, teacher):
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    teacher.is_active = False
    teacher.save()
    response = client.get(MY_SCHOOL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_new_password_ends_other_sessions_at_once(client, teacher):
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    teacher.set_password("a-new-long-password-1234")
    teacher.save()
    assert client.get(MY_SCHOOL).status_code == 302


def test_a_changed_name_shows_on_the_next_request(client, teacher):
    client.force_login(teacher)
    client.get(MY_SCHOOL)
    teacher.full_name = "Birgitte Nyborg"
    teacher.save()
    assert ">Birgitte</summary>" in client.get(MY_SCHOOL).content.decode()


def test_an_association_change_reaches_its_members_at_once(db):
    from accounts.roles import for_user

    membership = f.AssociationMembershipFactory()
    member = membership.user
    assert for_user(member).association_memberships[0].association.name != "Helsingør Roklub"
    association = membership.association
    association.name = "Helsingør Roklub"
    association.save()
    assert for_user(member).association_memberships[0].association.name == "Helsingør Roklub"


def test_a_membership_change_counts_for_its_user_at_once(db):
    from accounts.roles import for_user

    membership = f.SchoolMembershipFactory(is_approved=False)
    assert for_user(membership.user).school_memberships == []
    membership.is_approved = True
    membership.save()
    assert [m.pk for m in for_user(membership.user).school_memberships] == [membership.pk]


def test_a_membership_moved_to_someone_else_leaves_the_previous_user(client, teacher, school):
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    membership = SchoolMembership.objects.get(user=teacher)
    membership.user = f.UserFactory()
    membership.save()
    assert client.get(MY_SCHOOL).status_code == 404


def test_no_account_is_kept_in_the_cache(client, teacher, settings, monkeypatch):
    """Django's ModelBackend reads the user from the database: no password hash, no pickled
    account in the shared cache (the session there holds only an HMAC of the hash, as
    Django's sessions do)."""
    assert settings.AUTHENTICATION_BACKENDS[-1] == "django.contrib.auth.backends.ModelBackend"
    stored = []
    for name in ("set", "add", "set_many"):
        real = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *a, _real=real, **kw: stored.append(a[:2]) or _real(*a, **kw)
        )
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    assert client.get(MY_SCHOOL).status_code == 200
    assert stored  # the session went through the cache
    assert not any(isinstance(v, type(teacher)) for args in stored for v in args)
    assert teacher.password not in repr(stored)


@pytest.mark.django_db(transaction=True)
def test_async_code_gets_the_user_from_modelbackend(teacher):
    from asgiref.sync import async_to_sync
    from django.contrib.auth.backends import ModelBackend

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in
    # the main thread, where AsyncToSync refuses to run (the teacher is committed for it).
    with ThreadPoolExecutor(max_workers=1) as thread:
        user = thread.submit(async_to_sync(ModelBackend().aget_user), teacher.pk).result()
    assert user.pk == teacher.pk
    assert user.is_school_staff  # the roles are read for it as for any user


@pytest.mark.parametrize("with_settings", [True, False])
def test_memberships_come_with_their_school_municipality_and_settings(teacher, with_settings):
    """As ``select_related`` loads them (``accounts.roles``, compiled once): no query for
    the school, its municipality, its school-year settings and their way back."""
    from django.core.exceptions import ObjectDoesNotExist

    from accounts.roles import _school_memberships
    from municipalities.models import SchoolYearSettings

    school = teacher.school_memberships.select_related("school__municipality").get().school
    if with_settings:
        SchoolYearSettings.objects.create(municipality=school.municipality, winter_holiday_week=8)
    (membership,) = _school_memberships(teacher)
    with CaptureQueriesContext(connection) as ctx:
        municipality = membership.school.municipality
        assert (membership.school_id, municipality.pk) == (school.pk, school.municipality_id)
        if with_settings:
            settings = municipality.school_year_settings
            assert settings.winter_holiday_week == 8 and settings.municipality is municipality
        else:
            with pytest.raises(ObjectDoesNotExist):
                municipality.school_year_settings  # noqa: B018
    assert not ctx.captured_queries
