"""The partnership pages in a real browser: a member writes an action plan and sends it to the
municipality, and every page passes axe-core. Skipped without Chromium (see tests/e2e)."""

from datetime import date

import pytest

from partnerships.focus import create_defaults
from partnerships.models import ActionPlan
from screening.workflow import S
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

from .conftest import make_partnership

pytestmark = pytest.mark.e2e


def _check(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    violations = run_axe(page)
    assert not violations, f"axe-core on {url}:\n{format_violations(violations)}"


def test_member_writes_an_action_plan_and_the_pages_are_accessible(
    transactional_db, axe_page, base_url
):
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    create_defaults(municipality)
    association = f.AssociationFactory(municipalities=[municipality], slug="kajak")
    member = f.AssociationMembershipFactory(association=association, role="admin").user
    school = f.SchoolFactory(municipality=municipality)
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    consultant = f.ConsultantFactory(municipality=municipality).user
    make_partnership(
        municipality,
        consultant,
        association=association,
        schools=[school],
        starts_on=date(2026, 8, 1),
        ends_on=date(2028, 7, 31),
    )
    page = axe_page
    login(page, base_url, member.email)
    _check(page, base_url + "/association/kajak/partnerships/")
    page.get_by_text("Skriv en handleplan").click()
    page.get_by_label("Titel").fill("Handleplan 2026-2028")
    page.get_by_label("Inddragelse af forældre").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start handleplanen").click()
    plan = ActionPlan.objects.get()
    assert page.url.endswith(f"/association/kajak/plans/{plan.pk}/")
    assert not run_axe(page), format_violations(run_axe(page))
    goal_form = page.locator("form", has=page.get_by_role("button", name="Tilføj målet"))
    goal_form.locator("[name=focus_area]").select_option(label="Inddragelse af forældre")
    goal_form.locator("[name=description]").fill("Flere forældre hjælper til")
    goal_form.locator("[name=indicator]").fill("Forældre på hjælperlisten")
    goal_form.locator("[name=target]").fill("20")
    with page.expect_navigation():
        goal_form.get_by_role("button", name="Tilføj målet").click()
    assert page.get_by_text("Flere forældre hjælper til").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Send til screening").click()
    plan.refresh_from_db()
    assert plan.state == S.SUBMITTED
    assert plan.goals.get().indicator == "Forældre på hjælperlisten"
    _check(page, base_url + f"/association/kajak/plans/{plan.pk}/")
    page.context.clear_cookies()
    login(page, base_url, teacher.email)
    _check(page, base_url + "/school/partnerships/")
    assert page.get_by_text(association.name).count() >= 1


def test_consultant_schedules_a_status_meeting_and_writes_the_minutes(
    transactional_db, axe_page, base_url
):
    """The consultant's overview, the meeting form and the meeting's page pass axe-core; the
    minutes reach the partner's page without the internal notes."""
    from datetime import timedelta

    from django.utils import timezone

    from partnerships import meeting_services
    from partnerships import services as plan_services
    from partnerships.meetings import StatusMeeting
    from partnerships.models import FocusArea
    from screening import services as screening_services
    from screening.workflow import Transition

    from .test_action_plans import fill

    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    create_defaults(municipality)
    association = f.AssociationFactory(municipalities=[municipality], slug="kajak")
    member = f.AssociationMembershipFactory(association=association, role="admin").user
    consultant = f.ConsultantFactory(municipality=municipality).user
    partnership = make_partnership(municipality, consultant, association=association)
    areas = list(FocusArea.objects.filter(municipality=municipality, kind="partnership")[:1])
    plan = plan_services.create_plan(partnership, title="Handleplan", focus_areas=areas)
    fill(plan)
    plan_services.submit_plan(plan, by=member)
    screening_services.decide(plan, Transition.START_REVIEW, by=consultant)
    screening_services.decide(plan, Transition.APPROVE, by=consultant)

    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base_url, consultant.email)
    _check(page, base_url + "/partnerships/")
    page.get_by_role("link", name="Planlæg et statusmøde").first.click()
    assert not run_axe(page), format_violations(run_axe(page))
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    page.get_by_label("Dato").fill(day)
    page.locator("[name=starts]").fill("16:00")
    page.locator("[name=ends]").fill("18:00")
    page.get_by_label("Sted").fill("Klubhuset")
    with page.expect_navigation():
        page.get_by_role("button", name="Planlæg og indkald").press("Enter")
    meeting = StatusMeeting.objects.get()
    assert page.url.endswith(f"/partnerships/meetings/{meeting.pk}/")
    assert "Flere frivillige" in page.content()  # the plan's goal on the agenda
    assert not run_axe(page), format_violations(run_axe(page))

    # A meeting that has taken place: the minutes.
    starts = timezone.now() - timedelta(days=1)
    held = meeting_services.schedule(
        partnership,
        kind="board",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Rådhuset",
        invited=[],
    )
    _check(page, base_url + f"/partnerships/meetings/{held.pk}/")
    # Each goal's legend sits inside its box, not across its top border.
    for fieldset in page.locator("main form fieldset").all():
        legend = fieldset.locator("legend").bounding_box()
        assert legend["y"] >= fieldset.bounding_box()["y"] + 1, legend
    page.get_by_label("Status").select_option("behind")
    page.get_by_label("Næste skridt").fill("Nyt kursus i marts")
    page.get_by_label("Interne noter").fill("Kun til os")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem referatet").click()
    assert not run_axe(page), format_violations(run_axe(page))
    # The overview's goals behind: a link a finger can hit (WCAG 2.5.8), named for its row.
    page.goto(base_url + "/partnerships/")
    minutes = page.get_by_role("link", name=f"se referatet ({association.name}")
    assert minutes.bounding_box()["height"] >= 24
    held.refresh_from_db()
    assert held.state == "held"

    page.context.clear_cookies()
    login(page, base_url, member.email)
    _check(page, base_url + "/association/kajak/partnerships/")
    page.get_by_text("Referat").first.click()
    assert "Nyt kursus i marts" in page.content() and "Kun til os" not in page.content()
    assert "Bagud" in page.content()


def test_on_a_phone_nothing_runs_off_the_page_or_touches(transactional_db, axe_page, base_url):
    """375 px: a long e-mail address among the invitees breaks instead of widening the meeting
    form; the network heading on the school's partnership page keeps its distance from the
    partnership list above it."""
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    school = f.SchoolFactory(municipality=municipality)
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    consultant = f.ConsultantFactory(municipality=municipality).user
    association = f.AssociationFactory(municipalities=[municipality], slug="kajak")
    partnership = make_partnership(
        municipality,
        consultant,
        association=association,
        schools=[school],
        resource_email="ressourceperson.for.kajakklubben@afdeling.skole.helsingor.example",
    )
    page = axe_page
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, base_url, consultant.email)
    page.goto(base_url + f"/partnerships/{partnership.pk}/meetings/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.context.clear_cookies()
    login(page, base_url, teacher.email)
    page.goto(base_url + "/school/partnerships/")
    above = page.locator("main ul.list-group").bounding_box()
    heading = page.locator("#invitations-heading").bounding_box()
    assert heading["y"] >= above["y"] + above["height"] + 16
