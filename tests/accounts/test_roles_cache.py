"""The role summary in the shared cache (``accounts.roles``, ``ROLES_CACHE_ENABLED``).

It holds the navigation's flags and the ids of the user's schools as JSON, under a per-user
generation that every membership and consultant post change bumps when it commits. Each test
changes one role and checks the very next request; the full rows behind an access check
always come from the database, so a revoked role never outlives its commit even when the
cache misses a change.
"""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.models import Consultant
from schools.models import School, SchoolMembership
from tests import factories as f

# Real commits: a change counts for the cache when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

HOME = reverse("home")
MY_SCHOOL = reverse("bookings:my_school")
DASHBOARD = reverse("dashboard:index")
NAV_MY_SCHOOL = 'href="/school/"'
NAV_ASSOCIATION = 'href="/association/"'
NAV_DASHBOARD = 'href="/dashboard/"'
NAV_STAFF = f'href="{reverse("schools:school_staff")}"'


@pytest.fixture(autouse=True)
def _roles_cache_on(settings):
    settings.ROLES_CACHE_ENABLED = True


def tables_read(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return status, " ".join(
        q["sql"].split(" FROM ")[1].split()[0] for q in ctx if " FROM " in q["sql"]
    )


def test_the_navigation_reads_no_roles_once_the_summary_is_cached(client, teacher):
    client.force_login(teacher)
    status, first = tables_read(client, HOME)
    assert status == 200 and '"schools_schoolmembership"' in first  # the summary is made
    status, second = tables_read(client, HOME)
    assert status == 200
    for table in ("schoolmembership", "associationmembership", "consultant"):
        assert table not in second, second
    assert NAV_MY_SCHOOL in client.get(HOME).content.decode()


def test_my_school_reads_only_the_school_memberships(client, teacher):
    client.force_login(teacher)
    client.get(MY_SCHOOL)
    status, tables = tables_read(client, MY_SCHOOL)
    assert status == 200
    assert tables.count('"schools_schoolmembership"') == 1, tables
    # The summary says the teacher has no association and no consultant post.
    assert "associationmembership" not in tables and "consultant" not in tables, tables


def test_a_removed_membership_takes_away_access_at_once(client, teacher):
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    SchoolMembership.objects.filter(user=teacher).delete()
    assert client.get(MY_SCHOOL).status_code == 404
    assert NAV_MY_SCHOOL not in client.get(HOME).content.decode()


def test_a_revocation_the_cache_missed_still_counts_at_once(client, teacher):
    """``update()`` sends no signal, so no generation is bumped: the summary still names the
    school, but access is checked against the memberships read from the database."""
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    SchoolMembership.objects.filter(user=teacher).update(is_approved=False)
    assert client.get(MY_SCHOOL).status_code == 404


def test_the_booking_form_checks_the_memberships_in_the_database(client, teacher):
    """It reads them at once, without the summary, and with few columns: a revocation the
    cache missed refuses the form all the same."""
    url = reverse("bookings:book_offer", args=["no-such-offer"])
    client.force_login(teacher)
    client.get(HOME)  # the summary is cached: the teacher has a school
    status, tables = tables_read(client, url)
    assert status == 404  # past the access check: there is no such offer
    assert tables.count('"schools_schoolmembership"') == 1, tables
    SchoolMembership.objects.filter(user=teacher).update(is_approved=False)
    assert client.get(url).status_code == 403


def test_an_approval_gives_access_at_once(client, school):
    membership = f.SchoolMembershipFactory(school=school, role="teacher", is_approved=False)
    client.force_login(membership.user)
    assert client.get(MY_SCHOOL).status_code == 404
    assert NAV_MY_SCHOOL not in client.get(HOME).content.decode()
    membership.is_approved = True
    membership.save()
    assert client.get(MY_SCHOOL).status_code == 200
    assert NAV_MY_SCHOOL in client.get(HOME).content.decode()


def test_a_new_leader_role_shows_in_the_navigation_at_once(client, teacher):
    client.force_login(teacher)
    assert NAV_STAFF not in client.get(HOME).content.decode()
    membership = SchoolMembership.objects.get(user=teacher)
    membership.role = "principal"
    membership.save(update_fields=["role"])
    assert NAV_STAFF in client.get(HOME).content.decode()


def test_a_membership_moved_to_someone_else_leaves_the_previous_user(client, teacher):
    newcomer = f.UserFactory()
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    other = client_for(newcomer)
    assert other.get(MY_SCHOOL).status_code == 404
    membership = SchoolMembership.objects.get(user=teacher)
    membership.user = newcomer
    membership.save()
    assert client.get(MY_SCHOOL).status_code == 404
    assert NAV_MY_SCHOOL not in client.get(HOME).content.decode()
    assert other.get(MY_SCHOOL).status_code == 200


def test_a_deleted_school_leaves_its_staff(client, teacher, school):
    client.force_login(teacher)
    assert NAV_MY_SCHOOL in client.get(HOME).content.decode()
    School.objects.filter(pk=school.pk).delete()  # the memberships go in the cascade
    assert NAV_MY_SCHOOL not in client.get(HOME).content.decode()


def test_consultant_posts_count_at_once(client, consultant, municipality):
    client.force_login(consultant)
    assert client.get(DASHBOARD).status_code == 200
    post = Consultant.objects.get(user=consultant)
    post.is_active = False
    post.save()
    assert client.get(DASHBOARD).status_code in (302, 403, 404)
    assert NAV_DASHBOARD not in client.get(HOME).content.decode()
    post.is_active = True
    post.save()
    assert client.get(DASHBOARD).status_code == 200
    assert NAV_DASHBOARD in client.get(HOME).content.decode()


def test_an_association_membership_shows_at_once(client, association):
    user = f.UserFactory()
    client.force_login(user)
    assert NAV_ASSOCIATION not in client.get(HOME).content.decode()
    membership = f.AssociationMembershipFactory(association=association, user=user)
    assert NAV_ASSOCIATION in client.get(HOME).content.decode()
    membership.delete()
    assert NAV_ASSOCIATION not in client.get(HOME).content.decode()


def test_the_cache_holds_plain_json_and_nothing_secret(client, teacher, school, monkeypatch):
    stored = []
    real = cache.set
    monkeypatch.setattr(cache, "set", lambda *a, **kw: stored.append(a[:2]) or real(*a, **kw))
    client.force_login(teacher)
    assert client.get(MY_SCHOOL).status_code == 200
    entries = [value for key, value in stored if key.startswith("roles:")]
    assert len(entries) == 1
    _generation, text = entries[0]
    assert json.loads(text) == {
        "schools": [school.pk],
        "leader": False,
        "association": False,
        "consultant": None,
    }
    assert teacher.password not in repr(stored) and teacher.email not in repr(entries)


def client_for(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other
