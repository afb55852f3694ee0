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


def test_the_dashboard_is_readable_on_a_phone(transactional_db, page, base_url, data, consultant):
    """At 390 px every chart text is drawn at 12 px or more (the chart scrolls sideways
    instead of shrinking), each chart has a visible title, and the page itself does not
    scroll sideways; the sections are reached from the table of contents."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base_url, consultant.email)
    page.goto(f"{base_url}/dashboard/?period=2025")
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.dashboard-svg text')].map(t =>
            parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a))"""
    )
    assert smallest >= 12, smallest
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for caption in page.locator("figure.dashboard-chart figcaption").all():
        assert caption.is_visible() and caption.inner_text().strip()
    # The downloads are targets a finger can hit (WCAG 2.5.8: at least 24 px).
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    downloads = page.locator(".dashboard-export a").all()
    assert downloads
    for link in downloads:
        assert link.bounding_box()["height"] >= 24, link.inner_text()
    page.locator("#sections").get_by_role("link", name="Screening").click()
    assert page.evaluate("location.hash") == "#screening"
    assert page.locator("#h-screening").is_visible()
