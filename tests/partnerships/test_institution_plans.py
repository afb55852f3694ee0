"""A municipal leisure institution or club has no users on the portal: the consultant writes
its action plan in the admin on its behalf (add, goals and activities, the action "Submit"),
and it is screened like any plan. An association's plan stays the association's to write.
No page of an institution partnership fails."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from partnerships import services
from partnerships.focus import create_defaults
from partnerships.models import ActionPlan, FocusArea
from screening import services as screening_services
from screening.workflow import S, Transition

from .conftest import make_partnership

pytestmark = pytest.mark.django_db

ADD = "/admin/partnerships/actionplan/add/"
LIST = "/admin/partnerships/actionplan/"


@pytest.fixture
def areas(municipality):
    create_defaults(municipality)
    return list(FocusArea.objects.filter(municipality=municipality, kind="partnership"))


@pytest.fixture
def club_partnership(municipality, consultant, club, school):
    return make_partnership(
        municipality,
        consultant,
        institution=club,
        schools=[school],
        resource_name="Kim Klubleder",
        resource_email="kim@klub.example",
    )


def inlines(goals=(), activities=()):
    data = {}
    for prefix, rows in (("goals", goals), ("activities", activities)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for n, row in enumerate(rows):
            data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return data


def test_the_consultant_writes_submits_and_approves_an_institution_plan(
    client, consultant, club_partnership, areas, teacher, django_capture_on_commit_callbacks
):
    client.force_login(consultant)
    page = client.get(f"/admin/partnerships/partnership/{club_partnership.pk}/change/")
    assert f'<a href="{ADD}?partnership={club_partnership.pk}">' in page.content.decode()
    assert client.get(f"{ADD}?partnership={club_partnership.pk}").status_code == 200
    data = {
        "partnership": club_partnership.pk,
        "title": "Klub Nords handleplan",
        "focus_areas": [areas[0].pk],
        **inlines(),
    }
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    plan = ActionPlan.objects.get()
    assert plan.state == S.DRAFT and plan.updated_by == consultant
    assert client.post(ADD, data).status_code == 200  # a second one: told to open the first
    assert ActionPlan.objects.count() == 1

    change = f"/admin/partnerships/actionplan/{plan.pk}/change/"
    goal = {
        "focus_area": areas[0].pk,
        "description": "Flere unge i klubben",
        "indicator": "Unge",
        "target": "40",
    }
    activity = {"focus_area": areas[0].pk, "what": "Åbent hus", "who": "Klubben", "when": "Marts"}
    # A goal under an area the plan does not have would never be shown: refused.
    elsewhere = {**goal, "focus_area": areas[1].pk}
    data = {"title": "Klub Nord", "focus_areas": [areas[0].pk], **inlines([elsewhere], [activity])}
    response = client.post(change, data, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200 and not plan.goals.exists()
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert "Sæt hak ved dette fokusområde" in " ".join(errors["focus_area"])
    # No area ticked at all (the browser sends no "focus_areas"): refused too.
    data = {"title": "Klub Nord", **inlines([goal], [activity])}
    response = client.post(change, data, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200 and not plan.goals.exists()
    data = {
        "title": "Klub Nords handleplan 2026",
        "focus_areas": [areas[0].pk],
        **inlines([goal], [activity]),
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    plan.refresh_from_db()
    assert plan.title == "Klub Nords handleplan 2026"
    assert plan.goals.get().description == "Flere unge i klubben"
    assert plan.activities.get().what == "Åbent hus"

    response = client.post(
        LIST, {"action": "submit_institution_plans", "_selected_action": [plan.pk]}, follow=True
    )
    plan.refresh_from_db()
    assert plan.state == S.SUBMITTED
    assert [str(m) for m in response.context["messages"]][-1] == (
        "1 handleplan(er) sendt til screening."
    )
    with django_capture_on_commit_callbacks(execute=True):
        screening_services.decide(plan, Transition.APPROVE, by=consultant)
    assert Notification.objects.get(kind="screening.approved").to_email == "kim@klub.example"
    for user in (consultant, teacher):
        client.force_login(user)
        for name in ("plan_print", "plan_pdf"):
            assert client.get(reverse(f"partnerships:{name}", args=[plan.pk])).status_code == 200
    client.force_login(consultant)
    assert client.get(change).status_code == 200

    # A yearly revision: the consultant starts an edit; the approved plan stays in force.
    # The action run again (a second click) finds the same edit: both say where it is.
    for _run in range(2):
        response = client.post(
            LIST, {"action": "edit_institution_plans", "_selected_action": [plan.pk]}, follow=True
        )
        edit = ActionPlan.objects.get(revision_of=plan)
        shown = [str(m) for m in response.context["messages"]]
        edit_url = f"/admin/partnerships/actionplan/{edit.pk}/change/"
        assert shown == [
            f'Klub Nords handleplan 2026: dens ændring er åben. <a href="{edit_url}">'
            "Åbn ændringen</a>"
        ]
    assert edit.state == S.DRAFT and edit.goals.count() == 1
    assert client.get(edit_url).status_code == 200


def test_an_institution_plan_is_not_changed_while_it_is_screened(
    client, consultant, club_partnership, areas
):
    plan = services.create_plan(club_partnership, title="Plan", focus_areas=areas[:1])
    services.submit_plan(plan, by=consultant)
    client.force_login(consultant)
    data = {"title": "Ændret", "focus_areas": [areas[0].pk], **inlines()}
    client.post(f"/admin/partnerships/actionplan/{plan.pk}/change/", data)
    plan.refresh_from_db()
    assert plan.title == "Plan"


def test_an_associations_plan_is_the_associations_to_write(
    client, consultant, partnership, areas, association_member
):
    plan = services.create_plan(partnership, title="Foreningens plan", focus_areas=areas[:1])
    client.force_login(consultant)
    data = {"partnership": partnership.pk, "title": "x", "focus_areas": [areas[0].pk], **inlines()}
    response = client.post(ADD, data)
    assert response.status_code == 200  # not a choice: only institution partnerships
    assert "partnership" in response.context["adminform"].form.errors
    goal = {
        "focus_area": areas[0].pk,
        "description": "Konsulentens mål",
        "indicator": "i",
        "target": "t",
    }
    client.post(
        f"/admin/partnerships/actionplan/{plan.pk}/change/",
        {"title": "Konsulentens titel", "focus_areas": [areas[0].pk], **inlines([goal])},
    )
    plan.refresh_from_db()
    assert plan.title == "Foreningens plan" and not plan.goals.exists()
    client.post(LIST, {"action": "submit_institution_plans", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert plan.state == S.DRAFT


def test_another_municipality_cannot_write_an_institution_plan(
    client, other_consultant, club_partnership, areas
):
    plan = services.create_plan(club_partnership, title="Plan", focus_areas=areas[:1])
    client.force_login(other_consultant)
    assert client.get(f"/admin/partnerships/actionplan/{plan.pk}/change/").status_code in (302, 404)
    data = {"partnership": club_partnership.pk, "title": "x", "focus_areas": [], **inlines()}
    response = client.post(ADD, data)
    assert (
        response.status_code == 200 and "partnership" in response.context["adminform"].form.errors
    )
    client.post(LIST, {"action": "submit_institution_plans", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert plan.state == S.DRAFT


def test_no_page_of_an_institution_partnership_fails(
    client, consultant, teacher, club_partnership, areas, django_capture_on_commit_callbacks
):
    plan = services.create_plan(club_partnership, title="Plan", focus_areas=areas[:1])
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan, by=consultant)
        screening_services.decide(plan, Transition.REQUEST_CHANGES, by=consultant, message="Mere")
    # The institution has no page on the portal: the e-mail has no link and does not
    # send its reader to "My association".
    assert plan.screening_owner_url() == ""
    mail = Notification.objects.get(kind="screening.changes_requested")
    assert mail.to_email == "kim@klub.example"
    assert "Åbn i portalen" not in mail.body_text and "Min forening" not in mail.body_text
    assert "/partnerships/" not in mail.body_text
    client.force_login(consultant)
    for url in (
        "/admin/partnerships/partnership/",
        f"/admin/partnerships/partnership/{club_partnership.pk}/change/",
        LIST,
        f"/admin/partnerships/actionplan/{plan.pk}/change/",
        f"/admin/partnerships/actionplan/{plan.pk}/decide/approve/",
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(teacher)
    page = client.get(reverse("partnerships:school"))
    assert page.status_code == 200 and "Klub Nord" in page.content.decode()
