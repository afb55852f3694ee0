"""Members of the partner association and staff of the partnership's schools see it; nobody
else does (through the pages, as a visitor would)."""

import pytest
from django.urls import reverse

from tests import factories as f

from .conftest import make_partnership

pytestmark = pytest.mark.django_db


def partners_on(response):
    return [str(p) for p in response.context["partnerships"]]


def test_association_member_sees_its_partnerships_only(
    client,
    association_member,
    association,
    other_association,
    partnership,
    consultant,
    municipality,
):
    make_partnership(municipality, consultant, association=other_association)
    client.force_login(association_member)
    response = client.get(reverse("partnerships:association", args=[association.slug]))
    assert response.status_code == 200
    assert partners_on(response) == [association.name]
    assert "sara@example.org" in response.content.decode()


def test_a_stranger_gets_404_for_another_associations_page(
    client, other_association_admin, association, partnership
):
    client.force_login(other_association_admin)
    url = reverse("partnerships:association", args=[association.slug])
    assert client.get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, association, partnership):
    response = client.get(reverse("partnerships:association", args=[association.slug]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_my_association_links_to_the_partnerships(
    client, association_member, association, partnership
):
    client.force_login(association_member)
    page = client.get(reverse("associations:detail", args=[association.slug])).content.decode()
    assert reverse("partnerships:association", args=[association.slug]) in page


def test_school_staff_see_their_schools_partnerships_only(
    client, teacher, school, other_school, partnership, club, municipality, consultant
):
    other = make_partnership(municipality, consultant, institution=club, schools=[other_school])
    client.force_login(teacher)
    response = client.get(reverse("partnerships:school"))
    assert response.status_code == 200
    assert partners_on(response) == [str(partnership)]
    assert str(other) not in partners_on(response)
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert "<" not in title  # the meetings are listed in the page, not in its title


def test_staff_of_two_schools_pick_the_school(
    client, teacher, school, other_school, partnership, club, municipality, consultant
):
    other = make_partnership(municipality, consultant, institution=club, schools=[other_school])
    f.SchoolMembershipFactory(user=teacher, school=other_school)
    client.force_login(teacher)
    page = client.get(reverse("partnerships:school")).content.decode()
    assert f'href="?school={other_school.pk}"' in page and other_school.name in page
    assert 'aria-current="page" href="?school=' + str(school.pk) in page
    response = client.get(reverse("partnerships:school"), {"school": other_school.pk})
    assert partners_on(response) == [str(other)]


def test_school_staff_cannot_ask_for_another_school(client, teacher, other_school, partnership):
    client.force_login(teacher)
    response = client.get(reverse("partnerships:school"), {"school": other_school.pk})
    assert response.status_code == 404
    assert client.get(reverse("partnerships:school"), {"school": "x\x00"}).status_code in (400, 404)


def test_a_person_without_a_school_gets_404(client, association_member, partnership):
    client.force_login(association_member)
    assert client.get(reverse("partnerships:school")).status_code == 404


def test_my_school_links_to_the_partnerships(client, teacher, school, partnership):
    client.force_login(teacher)
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert reverse("partnerships:school") + f"?school={school.pk}" in page


def test_a_school_without_partnerships_shows_no_link(client, other_teacher, partnership):
    client.force_login(other_teacher)
    page = client.get(reverse("bookings:my_school")).content.decode()
    assert reverse("partnerships:school") not in page


def test_the_page_is_danish_first(client, teacher, partnership):
    client.force_login(teacher)
    page = client.get(reverse("partnerships:school"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Partnerskaber" in page
    assert "Kommunal kontaktperson" in page


def test_a_contact_who_deletes_their_account_leaves_the_partnership(
    client, teacher, partnership, consultant
):
    consultant.delete()
    partnership.refresh_from_db()
    assert partnership.contact is None
    client.force_login(teacher)
    page = client.get(reverse("partnerships:school"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Kommunen udpeger snart en ny." in page
