"""The dashboard in a real browser: the demo consultant finds the schools with no collaboration,
and axe-core finds no serious accessibility problems. Skipped without Chromium (see tests/e2e)."""

import pytest

from tests.e2e.conftest import format_violations, login, run_axe

pytestmark = pytest.mark.e2e


def test_consultant_finds_schools_without_collaboration(
    transactional_db, page, base_url, data, consultant
):
    login(page, base_url, consultant.email)
    page.goto(f"{base_url}/dashboard/?period=2025")
    page.get_by_role("link", name="Skoler uden samarbejde endnu").click()
    table = page.locator("#table-schools-without-collaboration")
    assert table.locator("tbody th").all_inner_texts() == ["Skole C"]
    with page.expect_download() as download:
        page.locator("#schools-without").get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_dashboard_has_no_serious_violations(
    transactional_db, axe_page, base_url, data, consultant
):
    login(axe_page, base_url, consultant.email)
    for url in ("/dashboard/?period=2025",):
        axe_page.goto(base_url + url)
        for details in axe_page.locator("details").all():
            details.evaluate("d => d.open = true")
        violations = run_axe(axe_page)
        assert not violations, format_violations(violations)


def test_public_key_figures_accessible(transactional_db, axe_page, base_url, municipality):
    municipality.show_public_key_figures = True
    municipality.save()
    for url in ("/key-figures/helsingor/", "/embed/key-figures/helsingor/"):
        axe_page.goto(base_url + url)
        violations = run_axe(axe_page)
        assert not violations, format_violations(violations)
