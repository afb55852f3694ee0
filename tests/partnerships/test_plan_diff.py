"""The screening's diff knows an action plan's goals and activities: a resubmission after
"request changes" and an edit of an approved plan show what changed in them, on the
consultant's page of the plan."""

import pytest

from partnerships import services
from partnerships.focus import create_defaults
from partnerships.models import ActionPlan, Activity, FocusArea, Goal
from screening import services as screening_services
from screening.workflow import Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(partnership, association_member):
    create_defaults(partnership.municipality)
    area = FocusArea.objects.get(
        municipality=partnership.municipality, name="Inddragelse af forældre"
    )
    plan = services.create_plan(partnership, title="Handleplan", focus_areas=[area])
    Goal.objects.create(
        plan=plan, focus_area=area, description="Flere forældre", indicator="antal", target="10"
    )
    Activity.objects.create(
        plan=plan, focus_area=area, what="Forældreaften", who="Sara", when="Maj"
    )
    services.submit_plan(plan, by=association_member)
    return plan


def test_a_resubmission_shows_the_changed_goals(client, submitted, consultant, association_member):
    plan = screening_services.decide(
        submitted, Transition.REQUEST_CHANGES, by=consultant, message="Sæt målet højere"
    )
    plan.goals.update(target="25")
    services.submit_plan(ActionPlan.objects.get(pk=plan.pk), by=association_member)
    client.force_login(consultant)
    response = client.get(f"/admin/partnerships/actionplan/{plan.pk}/change/")
    changes = response.context["screening_resubmission"].changes
    assert [(name, old, new) for name, _label, old, new in changes] == [
        (
            "goals",
            "Inddragelse af forældre: Flere forældre (antal: 10)",
            "Inddragelse af forældre: Flere forældre (antal: 25)",
        )
    ]
    page = response.content.decode()
    assert "Sæt målet højere" in page and "antal: 25" in page


def test_an_edit_of_an_approved_plan_shows_its_new_activity(
    client, submitted, consultant, association_member
):
    approved = screening_services.decide(submitted, Transition.APPROVE, by=consultant)
    edit = services.edit_plan(approved, by=association_member)
    assert screening_services.changed_fields(edit) == []  # the copies are the same text
    Activity.objects.create(
        plan=edit,
        focus_area=edit.focus_areas.get(),
        what="Sommerlejr",
        who="Bestyrelsen",
        when="Juli",
    )
    (change,) = screening_services.changed_fields(edit)
    assert change[0] == "activities" and "Sommerlejr" in change[3] and "Sommerlejr" not in change[2]
