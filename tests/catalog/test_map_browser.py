"""The map in a real browser: a teacher filters the map view of the catalog to grade 5 and
sport and opens a marker; the same page works with JavaScript off (the list under the map);
the map loads without CSP errors; axe-core finds no serious problems. Skipped without
Chromium (see tests/e2e)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from geo.models import MapArea
from tests import factories as f
from tests.e2e.conftest import AXE_JS, format_violations, login, run_axe

pytestmark = pytest.mark.e2e

HARBOUR = [[12.60, 56.03], [12.62, 56.03], [12.62, 56.04], [12.60, 56.04], [12.60, 56.03]]


@pytest.fixture
def map_world(transactional_db):
    m = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    rowing = f.AssociationFactory(
        municipalities=[m], name="Helsingør Roklub", latitude=56.0335, longitude=12.6175
    )
    choir = f.AssociationFactory(
        municipalities=[m], name="Musikforeningen Tonen", latitude=56.036, longitude=12.5
    )
    f.OfferFactory(association=rowing, published=True, title="Kajak i havnen", grade_min=4)
    f.OfferFactory(association=rowing, published=True, title="Robåd for de små", grade_max=2)
    f.OfferFactory(association=choir, published=True, title="Kor for mellemtrinnet", domain="music")
    kingo = f.SchoolFactory(municipality=m, name="Kingo Skole", latitude=56.031, longitude=12.604)
    MapArea.objects.create(
        municipality=m,
        name="Havnen",
        is_public=True,
        geometry={"type": "MultiPolygon", "coordinates": [[HARBOUR]]},
    )
    return {"m": m, "teacher": f.SchoolMembershipFactory(school=kingo).user}


def filter_grade_5_sport(page):
    page.get_by_label("Klassetrin").fill("5")
    page.get_by_role("checkbox", name=re.compile("^Idræt")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Vis tilbud").click()


def test_filter_the_map_to_grade_5_sport_and_open_a_marker(page, base_url, map_world):
    problems = []
    # Failed requests are caught as responses (the browser's own favicon request is none).
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            and problems.append(msg.text)
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    login(page, base_url, map_world["teacher"].email)
    page.goto(f"{base_url}/offers/?municipality=helsingor")
    with page.expect_navigation():
        page.get_by_role("link", name="Vis på kort").click()
    assert "/map/" in page.url
    filter_grade_5_sport(page)
    assert "grade=5" in page.url and "domain=sport" in page.url
    expect(page.locator("#map-heading")).to_contain_text("1 tilbud")
    expect(page.locator("#map.map-ready")).to_be_visible()
    assert not problems, problems
    # The map drew one association, the school and the area (no tiles in tests).
    marker = page.locator(".leaflet-marker-icon.map-marker-association")
    expect(marker).to_have_count(1)
    expect(page.locator(".leaflet-marker-icon.map-marker-school")).to_have_count(1)
    expect(page.locator("path.map-area")).to_have_count(1)
    expect(marker).to_have_attribute("aria-label", "Forening: Helsingør Roklub")
    toggle = page.locator(".leaflet-control-layers-toggle")
    expect(toggle).to_have_attribute("aria-label", "Vis på kortet")  # not Leaflet's "Layers"
    # By keyboard: Enter opens the popup with the focus in it, Esc closes it and the focus
    # is back on the marker.
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".map-popup")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Helsingør Roklub")
    expect(popup).to_contain_text("Kajak i havnen")
    expect(popup).not_to_contain_text("Robåd for de små")  # grade 0-2: filtered out
    with page.expect_navigation():
        popup.get_by_role("link", name="Kajak i havnen").click()
    expect(page.locator("h1")).to_contain_text("Kajak i havnen")
    assert not problems, problems


def test_the_map_page_works_without_javascript(browser, live_server, map_world):
    context = browser.new_context(
        java_script_enabled=False, locale="da-DK", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/map/?municipality=helsingor")
        expect(page.locator("#map")).to_contain_text("Kortet kræver JavaScript")
        filter_grade_5_sport(page)
        results = page.locator("#map-results")
        expect(results).to_contain_text("Kajak i havnen")
        expect(results).not_to_contain_text("Kor for mellemtrinnet")
        expect(results).to_contain_text("Kingo Skole")  # the schools are listed too
        expect(results).to_contain_text("Havnen")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        with page.expect_navigation():
            results.get_by_role("link", name="Kajak i havnen").click()
        expect(page.locator("h1")).to_contain_text("Kajak i havnen")
    finally:
        context.close()


def test_the_map_has_no_serious_violations(axe_page, base_url, map_world):
    axe_page.goto(f"{base_url}/map/?municipality=helsingor")
    expect(axe_page.locator(".leaflet-marker-icon").first).to_be_visible()
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)
    axe_page.locator(".leaflet-marker-icon.map-marker-association").first.click()
    expect(axe_page.locator(".leaflet-popup-content")).to_be_visible()
    expect(axe_page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)


def test_a_cluster_says_what_it_holds_and_targets_are_big_enough(axe_page, base_url, map_world):
    """Three associations on one quay make a cluster: it is named by what it holds, not by
    its count alone, and Enter on it zooms in. Markers and clusters are at least 24 px
    (WCAG 2.2's target size, which the other axe runs leave out)."""
    for name in ("Kajakklubben", "Sejlklubben", "Dykkerklubben"):
        club = f.AssociationFactory(
            municipalities=[map_world["m"]], name=name, latitude=56.0401, longitude=12.6001
        )
        f.OfferFactory(association=club, published=True)
    axe_page.goto(f"{base_url}/map/?municipality=helsingor")
    cluster = axe_page.get_by_role("button", name="3 foreninger og steder her – zoom ind")
    expect(cluster).to_be_visible()
    # Measured once the map stands still: mid-zoom, Leaflet scales the markers' pane (a
    # 24 px marker measured 23.99997 px, and the test failed).
    expect(axe_page.locator(".leaflet-zoom-anim, .leaflet-cluster-anim")).to_have_count(0)
    for marker in axe_page.locator(".leaflet-marker-icon").all():
        box = marker.bounding_box()
        # axe's own target-size rule allows 0.05 px of rounding as well.
        assert box["width"] >= 23.95 and box["height"] >= 23.95, box
    axe_page.add_script_tag(path=str(AXE_JS))
    small = axe_page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['target-size']})).violations"
    )
    assert not small, format_violations(small)
    cluster.focus()
    axe_page.keyboard.press("Enter")
    expect(
        axe_page.locator(".map-marker-association[aria-label='Forening: Sejlklubben']")
    ).to_be_visible()


def test_an_association_drags_its_marker(page, base_url, map_world):
    association = f.AssociationFactory(
        municipalities=[map_world["m"]], name="Kajakklubben", latitude=56.03, longitude=12.6
    )
    admin = f.AssociationMembershipFactory(association=association, role="admin").user
    login(page, base_url, admin.email)
    page.goto(f"{base_url}/association/{association.slug}/")
    page.goto(f"{base_url}/association/{association.slug}/profile/")
    expect(page.locator("#position-map")).to_be_visible()
    box = page.locator("#position-map").bounding_box()
    # A click north-east of the marker (in the middle) moves it there and fills the fields.
    page.locator("#position-map").click(
        position={"x": box["width"] * 0.75, "y": box["height"] * 0.25}
    )
    lat = float(page.get_by_label("Breddegrad").input_value())
    lon = float(page.get_by_label("Længdegrad").input_value())
    assert lat > 56.03 and lon > 12.6


def test_the_profile_form_with_its_map_has_no_serious_violations(axe_page, base_url, map_world):
    association = f.AssociationFactory(
        municipalities=[map_world["m"]], latitude=56.03, longitude=12.6
    )
    admin = f.AssociationMembershipFactory(association=association, role="admin").user
    login(axe_page, base_url, admin.email)
    axe_page.goto(f"{base_url}/association/{association.slug}/profile/")
    expect(axe_page.locator("#position-map .leaflet-marker-icon")).to_be_visible()
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)
