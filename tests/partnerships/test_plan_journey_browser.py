"""The action plan's whole journey in a real browser (issue 21): the consultant creates and
activates a partnership in the admin, the association writes and submits a plan, the
consultant asks for changes, the association fixes and resubmits (the consultant sees the
diff), the consultant approves, schedules a status meeting and writes the minutes of one
that took place, the association reads them (without the internal notes), and the association
and the consultant download the PDF.
The partnership pages on the way pass axe-core. Skipped without Chromium (see tests/e2e)."""

import importlib
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps as global_apps
from django.utils import timezone
from pypdf import PdfReader

from notifications.models import Notification
from partnerships import meeting_services
from partnerships.focus import create_defaults
from partnerships.meetings import StatusMeeting
from partnerships.models import ActionPlan, LeisureInstitution, Partnership
from screening.workflow import S
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

pytestmark = pytest.mark.e2e


def _axe(page, what=""):
    violations = run_axe(page)
    assert not violations, f"axe-core on {what or page.url}:\n{format_violations(violations)}"


def _groups():
    """The Consultant group and its permissions come from data migrations, which the flush
    after each browser test removes; their functions are idempotent, so run them again."""
    importlib.import_module("screening.migrations.0003_consultant_group").create_group(
        global_apps, None
    )
    for name in ("0002_consultant_permissions", "0006_action_plan_permissions"):
        importlib.import_module(f"partnerships.migrations.{name}").grant(global_apps, None)


def _pdf_text(download) -> str:
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def _add_part(page, button, area, fields):
    form = page.locator("form", has=page.get_by_role("button", name=button))
    form.locator("[name=focus_area]").select_option(label=area)
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name=button).click()


def _decide(page, base_url, plan, action, message=""):
    page.goto(f"{base_url}/admin/partnerships/actionplan/{plan.pk}/change/")
    with page.expect_navigation():
        page.locator(f"#screening-decisions a[href$='/decide/{action}/']").click()
    if message:
        page.locator("[name=message]").fill(message)
    with page.expect_navigation():
        page.locator("form input[type=submit].default").click()


def test_a_plan_from_partnership_to_pdf(transactional_db, axe_page, base_url):
    _groups()
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    create_defaults(municipality)
    association = f.AssociationFactory(
        municipalities=[municipality], slug="aero-kajak", name="Ærø Kajakklub"
    )
    member = f.AssociationMembershipFactory(association=association, role="admin").user
    school = f.SchoolFactory(municipality=municipality, name="Skolen ved Søen")
    consultant = f.ConsultantFactory(municipality=municipality).user
    page = axe_page
    area = "Inddragelse af forældre"

    # 1. The consultant creates the partnership in the admin and activates it.
    login(page, base_url, consultant.email)
    page.goto(base_url + "/admin/partnerships/partnership/add/")
    page.locator("#id_association").select_option(label="Ærø Kajakklub")
    page.locator("#id_schools_from").select_option(label="Skolen ved Søen")
    page.locator("#id_schools_add").click()
    page.locator("#id_starts_on").fill("2026-08-01")
    page.locator("#id_ends_on").fill("2028-07-31")
    page.locator("#id_contact").select_option(value=str(consultant.pk))
    page.locator("#id_yearly_grant").fill("150000")
    page.locator("#id_resource_name").fill("Søren Ørsted")
    page.locator("#id_resource_email").fill("soren@aero-kajak.example")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    partnership = Partnership.objects.get()
    assert list(partnership.schools.all()) == [school]
    page.locator(f"input[name=_selected_action][value='{partnership.pk}']").check()
    page.locator("select[name=action]").select_option("activate")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    partnership.refresh_from_db()
    assert partnership.state == "active"
    assert Notification.objects.filter(
        kind="partnership.activated", to_email="soren@aero-kajak.example"
    ).exists()

    # 2. The association writes the plan and submits it.
    page.context.clear_cookies()
    login(page, base_url, member.email)
    page.goto(base_url + "/association/aero-kajak/partnerships/")
    _axe(page)
    page.get_by_text("Skriv en handleplan").click()
    page.get_by_label("Titel").fill("Handleplan 2026–2028")
    page.get_by_label(area).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start handleplanen").click()
    plan = ActionPlan.objects.get()
    goal = {
        "description": "Flere forældre på søen",
        "indicator": "Forældre i bådene",
        "target": "10",
    }
    _add_part(page, "Tilføj målet", area, goal)
    activity = {"what": "Forældreaften på åen", "who": "Bestyrelsen", "when": "Maj 2027"}
    _add_part(page, "Tilføj aktiviteten", area, activity)
    _axe(page, "the plan being written")
    with page.expect_navigation():
        page.get_by_role("button", name="Send til screening").click()
    plan.refresh_from_db()
    assert plan.state == S.SUBMITTED

    # 3. The consultant asks for changes.
    page.context.clear_cookies()
    login(page, base_url, consultant.email)
    _decide(page, base_url, plan, "request_changes", "Sæt et højere mål for forældrene")
    plan.refresh_from_db()
    assert plan.state == S.CHANGES_REQUESTED

    # 4. The association reads the request, fixes the plan and resubmits.
    page.context.clear_cookies()
    login(page, base_url, member.email)
    page.goto(f"{base_url}/association/aero-kajak/plans/{plan.pk}/")
    assert page.get_by_text("Sæt et højere mål for forældrene").count() >= 1
    _axe(page, "the plan with the consultant's request")
    goal = {"description": "Forældre som hjælpere", "indicator": "Hjælpere", "target": "25"}
    _add_part(page, "Tilføj målet", area, goal)
    with page.expect_navigation():
        page.get_by_role("button", name="Send til screening").click()
    plan.refresh_from_db()
    assert plan.state == S.SUBMITTED

    # 5. The consultant sees what changed since the request, and approves.
    page.context.clear_cookies()
    login(page, base_url, consultant.email)
    page.goto(f"{base_url}/admin/partnerships/actionplan/{plan.pk}/change/")
    diff = page.locator("#screening-resubmission")
    assert "Forældre som hjælpere (Hjælpere: 25)" in diff.locator("ins").inner_text()
    _decide(page, base_url, plan, "approve")
    plan.refresh_from_db()
    assert plan.state == S.APPROVED

    # 6. The consultant downloads the PDF from the partnership's admin page.
    page.goto(f"{base_url}/admin/partnerships/partnership/{partnership.pk}/change/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som PDF").click()
    text = _pdf_text(download.value)
    assert "Handleplan 2026–2028" in text and "Forældre som hjælpere" in text
    assert "Ærø Kajakklub" in text and "Søren Ørsted" in text

    # 6b. The consultant schedules a status meeting from the overview (its agenda is the
    # plan's goals), and writes the minutes of one that has taken place.
    page.goto(base_url + "/partnerships/")
    _axe(page, "the consultant's overview")
    with page.expect_navigation():
        page.get_by_role("link", name="Planlæg et statusmøde").first.click()
    page.get_by_label("Dato").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    page.locator("[name=starts]").fill("16:00")
    page.locator("[name=ends]").fill("18:00")
    page.locator("#id_place").fill("Klubhuset")
    with page.expect_navigation():
        page.get_by_role("button", name="Planlæg og indkald").click()
    planned = StatusMeeting.objects.get()
    assert "Forældre som hjælpere" in page.content()  # a goal of the plan on the agenda
    starts = timezone.now() - timedelta(days=1)
    held = meeting_services.schedule(
        partnership,
        kind="board",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Bådehuset",
        invited=[],
    )
    page.goto(f"{base_url}/partnerships/meetings/{held.pk}/")
    page.locator("[name=status_0]").select_option("reached")
    page.locator("[name=status_1]").select_option("behind")
    page.get_by_label("Næste skridt").fill("Forældreaften igen i august")
    page.get_by_label("Interne noter").fill("Kun for kommunen")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem referatet").click()
    _axe(page, "the minutes")
    held.refresh_from_db()
    assert held.state == "held" and planned.state == "planned"

    # 7. The association prints the plan and downloads the PDF, in Danish and English.
    page.context.clear_cookies()
    login(page, base_url, member.email)
    page.goto(base_url + "/association/aero-kajak/partnerships/")
    page.get_by_text("Referat").first.click()
    minutes = page.content()
    assert "Forældreaften igen i august" in minutes and "Kun for kommunen" not in minutes
    page.goto(f"{base_url}/association/aero-kajak/plans/{plan.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Plan til udskrift").click()
    _axe(page, "the printable plan")
    assert page.get_by_role("heading", name="Handleplan 2026–2028").count() == 1
    assert page.locator(".site-header").is_visible()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()  # the print stylesheet
    assert not page.locator(".plan-print-tools").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som PDF").click()
    text = _pdf_text(download.value)
    assert "Flere forældre på søen" in text and "Indikator" in text
    with page.expect_navigation():
        page.get_by_role("link", name="English version").click()
    _axe(page, "the printable plan in English")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    english = _pdf_text(download.value)
    assert "Indicator" in english and "Forældre som hjælpere" in english

    # 8. A teacher at the partnership's school finds the plan in force and opens it.
    page.context.clear_cookies()
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    login(page, base_url, teacher.email)
    page.goto(base_url + "/school/partnerships/")
    _axe(page, "the school's partnerships with a plan in force")
    with page.expect_navigation():
        page.get_by_role("link", name="Handleplan 2026–2028", exact=True).click()
    assert page.get_by_text("Forældre som hjælpere").count() == 1


def test_the_consultant_writes_an_institution_plan_in_the_admin(
    transactional_db, axe_page, base_url
):
    _groups()
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    create_defaults(municipality)
    club = LeisureInstitution.objects.create(
        municipality=municipality, name="Klub Nord", kind=LeisureInstitution.Kind.CLUB
    )
    consultant = f.ConsultantFactory(municipality=municipality).user
    partnership = Partnership.objects.create(
        municipality=municipality,
        institution=club,
        contact=consultant,
        starts_on=date(2026, 8, 1),
        ends_on=date(2028, 7, 31),
        resource_name="Kim",
        resource_email="kim@klub.example",
    )
    page = axe_page
    login(page, base_url, consultant.email)
    page.goto(f"{base_url}/admin/partnerships/partnership/{partnership.pk}/change/")
    with page.expect_navigation():
        page.get_by_role("link", name="Skriv handleplanen").click()
    _axe(page, "adding an institution's plan")
    page.locator("#id_title").fill("Klub Nords handleplan")
    page.get_by_label("Inddragelse af forældre").check()
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    plan = ActionPlan.objects.get()
    assert plan.partnership == partnership
    _axe(page, "an institution's plan being written")
    page.locator("#goals-group a.addlink, #goals-group .add-row a").first.click()
    row = page.locator("#goals-group tr.form-row:not(.empty-form)").last
    row.locator("select[name$=focus_area]").select_option(label="Inddragelse af forældre")
    row.locator("textarea[name$=description]").fill("Forældre kommer i klubben")
    row.locator("input[name$=indicator]").fill("Forældre")
    row.locator("input[name$=target]").fill("12")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    assert plan.goals.get().description == "Forældre kommer i klubben"
