"""The yearly figures in a real browser, on a phone: the member reports the figures of the
year that ended, corrects them, sees the chart and the table, and the consultant sees the
totals; every page passes axe-core. Skipped without Chromium (see tests/e2e)."""

from datetime import date

import pytest

from partnerships import services
from partnerships.figures import due_year
from partnerships.models import YearlyFigures
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

from .conftest import make_partnership

pytestmark = pytest.mark.e2e


def _accessible(page):
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{format_violations(violations)}"


def test_member_reports_and_corrects_figures_on_a_phone(transactional_db, axe_page, base_url):
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[municipality], slug="roklub")
    member = f.AssociationMembershipFactory(association=association, role="member").user
    consultant = f.ConsultantFactory(municipality=municipality).user
    year = due_year()
    partnership = make_partnership(
        municipality,
        consultant,
        association=association,
        starts_on=date(year, 1, 1),
        ends_on=date(year + 2, 12, 31),
    )
    services.transition(partnership, "activate", by=consultant)
    YearlyFigures.objects.create(
        partnership=partnership,
        year=year - 1,
        members_under_18=90,
        members_under_25=130,
        volunteers=15,
    )
    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base_url, member.email)
    page.goto(base_url + "/association/roklub/partnerships/")
    with page.expect_navigation():
        page.get_by_role("link", name="Årstal: indberet og se udviklingen").click()
    assert page.get_by_role("status").filter(has_text=f"Tallene for {year} mangler").is_visible()
    _accessible(page)
    page.get_by_role("spinbutton", name="Medlemmer under 18").fill("120")
    page.get_by_role("spinbutton", name="Medlemmer under 25").fill(
        "100"
    )  # fewer than under 18: refused
    page.get_by_label("Frivillige og trænere").fill("20")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Gem tallene for {year}").click()
    assert "der kan ikke være flere af dem" in page.content()
    assert not YearlyFigures.objects.filter(year=year).exists()
    _accessible(page)
    page.get_by_role("spinbutton", name="Medlemmer under 25").fill("170")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Gem tallene for {year}").click()
    assert page.get_by_text(f"Tak: tallene for {year} er gemt.").is_visible()
    assert page.locator("figure.dashboard-chart svg").count() == 1
    rows = page.locator("table tbody tr")
    assert rows.count() == 2 and "170" in rows.nth(1).inner_text()
    # A correction: the year's figures shown again in the form, changed in the same row.
    with page.expect_navigation():
        page.get_by_role("link", name=f"{year} (indberettet)").click()
    assert page.get_by_role("link", name=f"{year} (indberettet)").get_attribute("aria-current")
    assert page.get_by_role("spinbutton", name="Medlemmer under 25").input_value() == "170"
    page.get_by_label("Frivillige og trænere").fill("22")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Gem tallene for {year}").click()
    assert YearlyFigures.objects.get(year=year).volunteers == 22
    assert YearlyFigures.objects.count() == 2
    # The page fits a phone: only the chart's own frame scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.context.clear_cookies()
    login(page, base_url, consultant.email)
    page.goto(base_url + "/partnerships/figures/")
    assert "Alle aktive partnerforeninger har indberettet." in page.content()
    assert page.locator("figure.dashboard-chart svg").count() >= 1
    _accessible(page)
