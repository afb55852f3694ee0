"""The consultant's partnerships in the admin: their municipality's only, created with the
municipality's partner, schools and contact person, the state changed by the actions."""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from partnerships.models import LeisureInstitution, Partnership
from screening.models import ScreeningEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = "/admin/partnerships/partnership/"
ADD = LIST + "add/"


def form_data(**fields):
    data = {
        "starts_on": "2026-08-01",
        "ends_on": "2028-07-31",
        "resource_name": "Sara Ressource",
        "resource_email": "sara@example.org",
        "resource_phone": "",
        "yearly_grant": "200000",
    }
    data.update(fields)
    return data


@pytest.fixture
def admin_client(client, consultant):
    client.force_login(consultant)
    return client


def test_consultant_creates_a_partnership_in_their_municipality(
    admin_client, consultant, municipality, association, school
):
    data = form_data(association=association.pk, contact=consultant.pk, schools=[school.pk])
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    partnership = Partnership.objects.get()
    assert partnership.municipality == municipality
    assert partnership.state == "proposed"
    assert list(partnership.schools.all()) == [school]
    assert partnership.yearly_grant == 200000


def test_a_leisure_club_can_be_the_partner(admin_client, consultant, club):
    response = admin_client.post(ADD, form_data(institution=club.pk, contact=consultant.pk))
    assert response.status_code == 302
    assert Partnership.objects.get().partner == club


def test_a_five_year_partnership_starting_next_year_is_accepted(
    admin_client, consultant, association
):
    """It ends six calendar years ahead: past the range other dates have (a helper's walk)."""
    start = timezone.localdate().replace(month=8, day=1) + relativedelta(years=1)
    data = form_data(
        association=association.pk,
        contact=consultant.pk,
        starts_on=start.isoformat(),
        ends_on=(start + relativedelta(years=5, days=-1)).isoformat(),
    )
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Partnership.objects.get().ends_on.year == start.year + 5


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_on": "2026-08-01"}, "ends_on", "slutte efter"),
        ({"ends_on": "2026-08-10"}, "ends_on", "mindst en måned"),
        ({"starts_on": "2021-01-01", "ends_on": "2031-01-01"}, "ends_on", None),
        ({"ends_on": "9999-12-31"}, "ends_on", None),
        ({"yearly_grant": "-1"}, "yearly_grant", None),
        ({"ends_on": "x\x00"}, "ends_on", None),
    ],
)
def test_bad_periods_and_grants_are_form_errors(
    admin_client, consultant, association, fields, field, message
):
    data = form_data(association=association.pk, contact=consultant.pk, **fields)
    response = admin_client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    if message:
        assert message in " ".join(errors[field])
    assert not Partnership.objects.exists()


def test_exactly_one_partner(admin_client, consultant, association, club):
    both = form_data(association=association.pk, institution=club.pk, contact=consultant.pk)
    for data in (both, form_data(contact=consultant.pk)):
        response = admin_client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="da")
        assert response.status_code == 200
        # Said once: the consultant's form checks the municipality's constraints again.
        errors = response.context["adminform"].form.non_field_errors()
        assert list(errors) == [
            "Vælg partneren: en forening eller en fritidsinstitution, ikke begge."
        ]
    assert not Partnership.objects.exists()


def test_a_name_twice_in_the_municipality_is_said_once(admin_client, club):
    response = admin_client.post(
        "/admin/partnerships/leisureinstitution/add/", {"name": club.name, "kind": "club"}
    )
    errors = response.context["adminform"].form.errors
    assert sum(len(e) for e in errors.values()) == 1, errors


def test_choices_are_the_consultants_municipalitys(
    admin_client, consultant, other_consultant, other_municipality
):
    foreign_association = f.AssociationFactory(municipalities=[other_municipality])
    foreign_school = f.SchoolFactory(municipality=other_municipality)
    for fields, field in [
        ({"association": foreign_association.pk, "contact": consultant.pk}, "association"),
        ({"association": "", "contact": consultant.pk, "schools": [foreign_school.pk]}, "schools"),
        ({"contact": other_consultant.pk}, "contact"),
    ]:
        response = admin_client.post(ADD, form_data(**fields))
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
    assert not Partnership.objects.exists()


def test_another_municipalitys_consultant_gets_nothing(client, other_consultant, partnership):
    client.force_login(other_consultant)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    change = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    assert client.get(change).status_code == 302  # the admin's "does not exist" redirect
    client.post(LIST, {"action": "end", "_selected_action": [partnership.pk]})
    partnership.refresh_from_db()
    assert partnership.state == "proposed"


def test_actions_follow_the_allowed_transitions_and_are_audited(
    admin_client, consultant, partnership
):
    admin_client.post(LIST, {"action": "activate", "_selected_action": [partnership.pk]})
    partnership.refresh_from_db()
    assert partnership.state == "active"
    admin_client.post(LIST, {"action": "activate", "_selected_action": [partnership.pk]})
    partnership.refresh_from_db()
    assert partnership.state == "active"  # not allowed twice
    admin_client.post(LIST, {"action": "end", "_selected_action": [partnership.pk]})
    partnership.refresh_from_db()
    assert partnership.state == "ended"
    events = ScreeningEvent.objects.filter(
        object_id=partnership.pk, transition__in=["activate", "end"]
    )
    assert [(e.from_state, e.to_state, e.actor) for e in events] == [
        ("proposed", "active", consultant),
        ("active", "ended", consultant),
    ]
    change = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    assert "Activated" in admin_client.get(change, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_state_is_not_editable_in_the_form(admin_client, consultant, partnership):
    change = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    data = form_data(association=partnership.association_id, contact=consultant.pk, state="ended")
    assert admin_client.post(change, data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.state == "proposed"


def test_consultant_may_not_delete(admin_client, partnership):
    delete = reverse("admin:partnerships_partnership_delete", args=[partnership.pk])
    assert admin_client.get(delete).status_code == 403
    assert Partnership.objects.filter(pk=partnership.pk).exists()


def test_an_institution_name_twice_is_a_form_error(admin_client, club):
    response = admin_client.post(
        "/admin/partnerships/leisureinstitution/add/", {"name": club.name, "kind": "club"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_leisure_institutions_are_the_consultants_municipalitys(client, other_consultant, club):
    client.force_login(other_consultant)
    response = client.get("/admin/partnerships/leisureinstitution/")
    assert list(response.context["cl"].result_list) == []
    assert (
        client.get(f"/admin/partnerships/leisureinstitution/{club.pk}/change/").status_code == 302
    )
    response = client.post(
        "/admin/partnerships/leisureinstitution/add/", {"name": "Klub Syd", "kind": "club"}
    )
    assert response.status_code == 302
    assert LeisureInstitution.objects.get(name="Klub Syd").municipality == (
        other_consultant.consultant_municipality
    )
