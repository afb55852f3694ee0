"""An action plan is written by the partner and screened through the existing screening
workflow: the consultant's queue and decisions, the audit trail, the automatic check."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import Notification
from partnerships import services
from partnerships.focus import create_defaults
from partnerships.models import ActionPlan, Activity, FocusArea, Goal
from screening import services as screening_services
from screening.checks import screened_models
from screening.models import ScreeningEvent
from screening.workflow import S, Transition
from tests import factories as f
from tests.outbox import written

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(municipality):
    create_defaults(municipality)
    return list(FocusArea.objects.filter(municipality=municipality, kind="partnership"))


@pytest.fixture
def plan(partnership, areas, association_member):
    return services.create_plan(
        partnership, title="Handleplan 2026-2028", focus_areas=areas[:2], by=association_member
    )


def url(name, association, *args):
    return reverse(f"partnerships:{name}", args=[association.slug, *args])


def fill(plan):
    for area in plan.focus_areas.all():
        Goal.objects.create(
            plan=plan,
            focus_area=area,
            description="Flere frivillige",
            indicator="frivillige",
            target="12",
        )
        Activity.objects.create(
            plan=plan,
            focus_area=area,
            what="Trænerkursus",
            who="Ressourcepersonen",
            when="Forår 2027",
        )


def test_an_action_plan_is_a_screened_model():
    assert ActionPlan in screened_models()


def test_member_writes_and_submits_a_plan_through_the_pages(
    client, association_member, association, partnership, areas, published_offer
):
    client.force_login(association_member)
    response = client.post(
        reverse("partnerships:plan_create", args=[association.slug, partnership.pk]),
        {"title": "Handleplan", "focus_areas": [areas[0].pk]},
    )
    plan = ActionPlan.objects.get()
    assert response.status_code == 302
    assert plan.state == S.DRAFT
    assert "Tilføj målet" in client.get(url("plan", association, plan.pk)).content.decode()
    key = str(uuid.uuid4())
    goal = {
        "focus_area": areas[0].pk,
        "description": "Flere frivillige",
        "indicator": "antal",
        "target": "12",
        "submit_key": key,
    }
    assert client.post(url("plan_add", association, plan.pk, "goal"), goal).status_code == 302
    again = client.post(url("plan_add", association, plan.pk, "goal"), goal, follow=True)
    assert plan.goals.count() == 1  # the same form twice adds one goal, said once
    assert [str(m) for m in again.context["messages"]] == ["Målet er tilføjet."]
    activity = {
        "focus_area": areas[0].pk,
        "what": "Kursus",
        "who": "Sara",
        "when": "Forår",
        "offer": published_offer.pk,
        "submit_key": str(uuid.uuid4()),
    }
    assert (
        client.post(url("plan_add", association, plan.pk, "activity"), activity).status_code == 302
    )
    assert plan.activities.get().offer == published_offer
    client.post(url("plan_submit", association, plan.pk))
    plan.refresh_from_db()
    assert plan.state == S.SUBMITTED
    again = client.post(url("plan_submit", association, plan.pk), follow=True)  # a second click
    shown = [str(m) for m in again.context["messages"]]
    assert shown.count("Handleplanen er sendt. Kommunens konsulent kontakter jer.") == 1
    assert {m.level_tag for m in again.context["messages"]} == {"success"}
    page = client.get(url("plan", association, plan.pk)).content.decode()
    assert "Flere frivillige" in page and "Kursus" in page
    assert "Tilføj målet" not in page  # no longer editable


def test_bad_input_is_a_form_error_not_a_500(
    client, association_member, association, plan, areas, other_association
):
    client.force_login(association_member)
    foreign_offer = f.OfferFactory(association=other_association, published=True)
    other_area = areas[5]  # not chosen for this plan
    for part, data in [
        (
            "goal",
            {"focus_area": other_area.pk, "description": "x", "indicator": "y", "target": "z"},
        ),
        (
            "goal",
            {
                "focus_area": "99999999999999999999",
                "description": "x",
                "indicator": "y",
                "target": "z",
            },
        ),
        (
            "activity",
            {
                "focus_area": areas[0].pk,
                "what": "x",
                "who": "y",
                "when": "z",
                "offer": foreign_offer.pk,
            },
        ),
        ("goal", {"focus_area": areas[0].pk, "description": "", "indicator": "y", "target": "z"}),
    ]:
        response = client.post(url("plan_add", association, plan.pk, part), data)
        assert response.status_code == 400, (part, data)
    assert not plan.goals.exists() and not plan.activities.exists()
    assert client.post(url("plan_add", association, plan.pk, "nothing"), {}).status_code == 404


def test_starting_a_plan_without_focus_areas_keeps_the_title(
    client, association_member, association, partnership, areas
):
    client.force_login(association_member)
    response = client.post(
        url("plan_create", association, partnership.pk), {"title": "Vores plan 2027"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Vores plan 2027"' in page and '<details class="mt-2" open>' in page
    assert "error-summary" in page and "Indsatsområder" in page
    assert not ActionPlan.objects.exists()


def test_starting_a_plan_from_an_old_tab_says_the_open_plan_was_opened(
    client, association_member, association, partnership, plan, areas
):
    """A plan is already in the making: the second "start" opens it, and says that its own
    title and focus areas were not used (a double click with the same ones says nothing)."""
    client.force_login(association_member)
    same = {"title": plan.title, "focus_areas": [a.pk for a in plan.focus_areas.all()]}
    response = client.post(url("plan_create", association, partnership.pk), same, follow=True)
    assert response.redirect_chain[-1][0] == url("plan", association, plan.pk)
    assert not [str(m) for m in response.context["messages"]]
    other = {"title": "Ny titel", "focus_areas": [areas[2].pk]}
    response = client.post(url("plan_create", association, partnership.pk), other, follow=True)
    assert response.redirect_chain[-1][0] == url("plan", association, plan.pk)
    [message] = [str(m) for m in response.context["messages"]]
    assert "allerede en handleplan" in message and plan.title in message
    assert "Titel og indsatsområder" in message
    assert ActionPlan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.title == "Handleplan 2026-2028"


def test_the_partner_changes_a_drafts_title_and_focus_areas(
    client, association_member, association, plan, areas
):
    client.force_login(association_member)
    page = client.get(url("plan", association, plan.pk)).content.decode()
    assert (
        'value="Handleplan 2026-2028"' in page and url("plan_change", association, plan.pk) in page
    )
    data = {"plan-title": "Handleplan 2027-2029", "plan-focus_areas": [areas[0].pk, areas[2].pk]}
    response = client.post(url("plan_change", association, plan.pk), data, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Titel og indsatsområder er gemt."]
    plan.refresh_from_db()
    assert plan.title == "Handleplan 2027-2029"
    assert {a.pk for a in plan.focus_areas.all()} == {areas[0].pk, areas[2].pk}


def test_a_focus_area_with_goals_stays_and_a_bad_change_keeps_what_was_typed(
    client, association_member, association, plan, areas, other_municipality
):
    fill(plan)
    client.force_login(association_member)
    change = url("plan_change", association, plan.pk)
    data = {"plan-title": "Ny titel", "plan-focus_areas": [areas[0].pk]}
    response = client.post(change, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fjern først målene og aktiviteterne under " + areas[1].name in page
    assert 'value="Ny titel"' in page and '<details class="mb-4" open>' in page
    foreign = FocusArea.objects.create(
        municipality=other_municipality, kind="partnership", name="Fremmed område"
    )
    for bad in ([foreign.pk], ["²"], ["1\x00"], []):
        response = client.post(change, {"plan-title": "Ny titel", "plan-focus_areas": bad})
        assert response.status_code == 400, bad
    assert client.post(change, {"plan-title": "x" * 151, **data}).status_code == 400
    plan.refresh_from_db()
    assert plan.title == "Handleplan 2026-2028" and plan.focus_areas.count() == 2


def test_a_refused_form_sent_twice_says_why_once(
    client, association_member, association, plan, areas
):
    """Both clicks of a double click are refused with the same message; the page shows it once."""
    fill(plan)
    services.submit_plan(plan, by=association_member)
    client.force_login(association_member)
    goal = {"focus_area": areas[0].pk, "description": "d", "indicator": "i", "target": "t"}
    for _ in range(2):
        client.post(url("plan_add", association, plan.pk, "goal"), goal)
    page = client.get(url("plan", association, plan.pk)).content.decode()
    assert page.count("Handleplanen ligger hos kommunen og kan ikke ændres nu.") == 2  # + state
    assert page.count('class="alert alert-danger"') == 1


def test_a_goal_under_a_focus_area_taken_off_meanwhile_is_refused(association_member, plan, areas):
    """The goal form was filled in while the area was part of the plan; the plan is read
    again, under its lock, when the goal is added."""
    from partnerships.forms import GoalForm

    data = {"focus_area": areas[1].pk, "description": "d", "indicator": "i", "target": "t"}
    form = GoalForm({**data, "submit_key": str(uuid.uuid4())}, plan=plan)
    assert form.is_valid(), form.errors
    services.change_plan(plan, title=plan.title, focus_areas=[areas[0]], by=association_member)
    with pytest.raises(ValidationError):
        services.add_part(plan, form)
    assert not plan.goals.exists()


def test_a_submitted_plan_keeps_its_title_and_strangers_change_nothing(
    client, association_member, other_association_admin, association, plan, areas
):
    fill(plan)
    services.submit_plan(plan, by=association_member)
    data = {"plan-title": "Ny titel", "plan-focus_areas": [areas[0].pk, areas[1].pk]}
    client.force_login(association_member)
    assert (
        url("plan_change", association, plan.pk)
        not in client.get(url("plan", association, plan.pk)).content.decode()
    )
    response = client.post(url("plan_change", association, plan.pk), data, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Handleplanen ligger hos kommunen og kan ikke ændres nu."
    ]
    # Started again from an old tab: the plan with the municipality opens, and says so.
    other = {"title": "Ny titel", "focus_areas": [areas[0].pk]}
    response = client.post(url("plan_create", association, plan.partnership_id), other, follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "ligger hos kommunen" in message and "Titel og indsatsområder" not in message
    client.force_login(other_association_admin)
    assert client.post(url("plan_change", association, plan.pk), data).status_code == 404
    plan.refresh_from_db()
    assert plan.title == "Handleplan 2026-2028"


def test_one_plan_in_force_and_none_for_an_ended_partnership(
    client, association_member, association, partnership, plan, consultant, areas
):
    fill(plan)
    services.submit_plan(plan, by=association_member)
    screening_services.decide(plan, Transition.APPROVE, by=consultant)
    client.force_login(association_member)
    page = client.get(url("association", association)).content.decode()
    assert "gældende handleplan. Åbn den" in page
    assert url("plan_create", association, partnership.pk) not in page
    data = {"title": "Endnu en plan", "focus_areas": [areas[0].pk]}
    response = client.post(url("plan_create", association, partnership.pk), data)  # stale page
    assert response.status_code == 400 and "gældende handleplan" in response.content.decode()
    assert ActionPlan.objects.filter(revision_of=None).count() == 1
    # The plan's edit is the way: "Ret handleplanen" (an edit of the plan in force).
    partnership.state = "ended"
    partnership.save()
    plan.state = S.EXPIRED
    plan.save()
    response = client.post(url("plan_create", association, partnership.pk), data)
    assert response.status_code == 400 and "afsluttet" in response.content.decode()
    assert ActionPlan.objects.filter(revision_of=None).count() == 1


def test_a_stranger_cannot_see_or_change_the_plan(
    client, other_association_admin, association, plan
):
    client.force_login(other_association_admin)
    assert client.get(url("plan", association, plan.pk)).status_code == 404
    assert client.post(url("plan_submit", association, plan.pk)).status_code == 404
    plan.refresh_from_db()
    assert plan.state == S.DRAFT


def test_plan_of_another_association_is_404_under_ones_own_slug(
    client, other_association_admin, other_association, plan
):
    client.force_login(other_association_admin)
    assert client.get(url("plan", other_association, plan.pk)).status_code == 404


def test_a_second_click_on_new_plan_finds_the_first(partnership, areas, plan):
    again = services.create_plan(partnership, title="Igen", focus_areas=areas[:1])
    assert again.pk == plan.pk


def test_focus_areas_of_another_municipality_are_refused(partnership, other_municipality):
    create_defaults(other_municipality)
    foreign = FocusArea.objects.filter(municipality=other_municipality)[:1]
    with pytest.raises(ValidationError) as error:
        services.create_plan(partnership, title="x", focus_areas=list(foreign))
    assert error.value.code == "focus_area"
    assert not ActionPlan.objects.exists()


def test_automatic_check_needs_a_goal_and_an_activity_per_area(plan):
    (check,) = plan.automatic_checks()
    assert not check.passed
    fill(plan)
    (check,) = plan.automatic_checks()
    assert check.passed


def test_consultant_screens_the_plan_in_the_existing_queue(
    client, consultant, other_consultant, plan, association_member
):
    fill(plan)
    services.submit_plan(plan, by=association_member)
    assert screening_services.waiting_counts(consultant)["actionplan"] == 1
    assert screening_services.waiting_counts(other_consultant)["actionplan"] == 0
    client.force_login(other_consultant)
    assert list(client.get("/admin/partnerships/actionplan/").context["cl"].result_list) == []
    client.force_login(consultant)
    assert [
        p.pk for p in client.get("/admin/partnerships/actionplan/").context["cl"].result_list
    ] == [plan.pk]
    change = client.get(f"/admin/partnerships/actionplan/{plan.pk}/change/")
    assert change.status_code == 200
    page = change.content.decode()
    assert "Flere frivillige" in page  # the preview, for the plan's readers
    assert "<h2>Sådan ser skolen og partneren den</h2>" in page
    # A plan's checklist: the dialogue with the partner (an institution or an association),
    # not an offer's instructors.
    assert list(change.context["screening_checklist"].fields) == ["dialogue_held"]
    assert "Dialog holdt med partneren</label>" in page
    assert screening_services.checklist_failures(plan) == [
        "Ikke afkrydset: dialog holdt med partneren"
    ]
    client.post(f"/admin/partnerships/actionplan/{plan.pk}/checklist/", {"dialogue_held": "on"})
    assert screening_services.checklist_passed(plan)
    decide = client.get(f"/admin/partnerships/actionplan/{plan.pk}/decide/request_changes/")
    assert f"Besked til {plan.partnership.partner}" in decide.content.decode()
    screening_services.decide(plan, Transition.START_REVIEW, by=consultant)
    screening_services.decide(plan, Transition.APPROVE, by=consultant)
    plan.refresh_from_db()
    assert plan.state == S.APPROVED
    transitions = list(
        ScreeningEvent.objects.filter(
            object_id=plan.pk, content_type__model="actionplan"
        ).values_list("transition", flat=True)
    )
    assert transitions == ["submit", "start_review", "approve"]


def test_the_partner_sees_where_the_plan_is_and_why_it_was_rejected(
    client, consultant, plan, association_member, association, municipality
):
    from screening.models import RejectionReason

    fill(plan)
    services.submit_plan(plan, by=association_member)
    client.force_login(association_member)
    page = client.get(url("plan", association, plan.pk)).content.decode()
    assert "Handleplanen ligger hos kommunen og kan ikke ændres nu." in page
    reason = RejectionReason.objects.get(municipality=municipality, code="A6")
    screening_services.decide(
        plan, Transition.REJECT, by=consultant, reason=reason, message="Målene mangler tal."
    )
    page = client.get(url("plan", association, plan.pk)).content.decode()
    assert "Kommunen godkendte ikke handleplanen" in page
    assert f"Begrundelse: {reason.text}" in page and "Målene mangler tal." in page
    assert f'href="{reverse("partnerships:association", args=[association.slug])}"' in page


def test_an_edit_of_an_approved_plan_carries_its_goals(plan, consultant, association_member):
    fill(plan)
    services.submit_plan(plan, by=association_member)
    screening_services.decide(plan, Transition.APPROVE, by=consultant)
    edit = screening_services.start_revision(ActionPlan.objects.get(pk=plan.pk))
    assert edit.goals.count() == 2 and edit.activities.count() == 2
    assert list(edit.focus_areas.all()) == list(plan.focus_areas.all())


def test_member_removes_a_goal_while_the_plan_is_a_draft_only(
    client, association_member, association, plan, other_association_admin
):
    fill(plan)
    goal = plan.goals.first()
    remove = url("plan_remove", association, plan.pk, "goal", goal.pk)
    client.force_login(other_association_admin)
    assert client.post(remove).status_code == 404
    client.force_login(association_member)
    assert client.post(remove).status_code == 302
    assert client.post(remove).status_code == 302  # a second click: nothing left to remove
    assert not plan.goals.filter(pk=goal.pk).exists()
    fill(plan)
    services.submit_plan(plan, by=association_member)
    activity = plan.activities.first()
    client.post(url("plan_remove", association, plan.pk, "activity", activity.pk))
    assert plan.activities.filter(pk=activity.pk).exists()  # with the municipality now


def test_member_changes_an_approved_plan_through_a_revision(
    client, association_member, association, plan, consultant
):
    fill(plan)
    services.submit_plan(plan, by=association_member)
    screening_services.decide(plan, Transition.APPROVE, by=consultant)
    client.force_login(association_member)
    page = client.get(url("plan", association, plan.pk)).content.decode()
    assert "Ret handleplanen" in page
    response = client.post(url("plan_edit", association, plan.pk))
    edit = ActionPlan.objects.get(revision_of=plan)
    assert response["Location"] == url("plan", association, edit.pk)
    client.post(url("plan_edit", association, plan.pk))  # a second click: the same edit
    assert ActionPlan.objects.filter(revision_of=plan).count() == 1
    goal = edit.goals.first()
    client.post(url("plan_remove", association, edit.pk, "goal", goal.pk))
    assert plan.goals.count() == 2 and edit.goals.count() == 1  # the approved plan is untouched


def test_an_edit_from_an_out_of_date_page_says_so_in_danish(
    client, association_member, association, plan
):
    """ "Ret handleplanen" sent from a page opened before the plan was submitted."""
    fill(plan)
    services.submit_plan(plan, by=association_member)
    client.force_login(association_member)
    response = client.post(url("plan_edit", association, plan.pk), follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["Det kan ikke rettes herfra nu. Åbn det igen for at se, hvor det står."]
    assert not ActionPlan.objects.filter(revision_of=plan).exists()


def test_the_screening_emails_reach_the_consultant_and_the_resource_person(
    plan, consultant, association_member, association, django_capture_on_commit_callbacks
):
    fill(plan)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan, by=association_member)
    assert Notification.objects.get(kind="screening.submitted").to_email == consultant.email
    with django_capture_on_commit_callbacks(execute=True):
        screening_services.decide(
            plan, Transition.REQUEST_CHANGES, by=consultant, message="Tilføj et mål for forældre"
        )
    notification = written(
        Notification.objects.get(kind="screening.changes_requested", to_email="sara@example.org")
    )  # the partnership's resource person, and the member who sent it (below)
    assert "Tilføj et mål for forældre" in notification.body_text
    assert f"/association/{association.slug}/partnerships/" in notification.body_text
    assert ["sara@example.org"] in [m.to for m in mail.outbox]
    assert [association_member.email] in [m.to for m in mail.outbox]


def test_the_partnerships_admin_page_links_its_plans(client, consultant, partnership, plan):
    client.force_login(consultant)
    page = client.get(f"/admin/partnerships/partnership/{partnership.pk}/change/").content.decode()
    assert f"/admin/partnerships/actionplan/{plan.pk}/change/" in page
