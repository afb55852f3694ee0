"""The knowledge bank in a real browser: a teacher proposes a good example from a completed
booking, the consultant approves it in the screening queue, and it appears on the offer's
page; every page passes axe-core; the bank works on a phone without JavaScript.
Skipped without Chromium (see tests/e2e)."""

import importlib

import pytest
from django.apps import apps as global_apps

from knowledge.models import Item
from screening.workflow import S
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

from .conftest import make_item

pytestmark = pytest.mark.e2e


def _check(page, url=None):
    if url is not None:
        response = page.goto(url)
        assert response.status == 200, url
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{format_violations(violations)}"


def _click(page, locator):
    with page.expect_navigation():
        locator.click()


@pytest.fixture
def knowledge_permissions(consultant_group):
    importlib.import_module("knowledge.migrations.0002_search_and_permissions").grant(
        global_apps, None
    )


def test_a_school_proposes_a_good_example_and_it_appears_on_the_offer_page(
    knowledge_permissions, axe_page, base_url
):
    from bookings.states import Actor, BookingState
    from tests.notifications.factories import BookingFactory, at

    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[municipality], name="Helsingør Roklub")
    offer = f.OfferFactory(association=association, published=True, title="Roning for 5. klasse")
    school = f.SchoolFactory(municipality=municipality, name="Espergærde Skole")
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    consultant = f.ConsultantFactory(municipality=municipality).user
    booking = BookingFactory(
        school=school,
        offer=offer,
        requested_by=teacher,
        starts_at=at(-10, 9),
        ends_at=at(-10, 11),
        state=BookingState.COMPLETED,
    )
    booking.evaluations.create(side=Actor.SCHOOL, author=teacher, rating=5)
    make_item(municipality, consultant, title="Sådan planlægger I et forløb")

    page = axe_page
    login(page, base_url, teacher.email)
    _check(page, base_url + "/knowledge/")
    _click(page, page.get_by_role("link", name="Foreslå et godt eksempel"))
    _check(page)
    _click(page, page.get_by_role("button", name="Foreslå som godt eksempel"))
    item = Item.objects.get(offer=offer)
    assert page.url.endswith(f"/knowledge/proposals/{item.pk}/")
    assert page.get_by_label("Titel").input_value() == "Roning for 5. klasse på Espergærde Skole"
    _check(page)
    page.get_by_label("Historien").fill(
        "Klassen var på vandet en hel formiddag. Instruktørerne havde forberedt alt, "
        "og flere elever er siden startet i klubben."
    )
    # Sent without "Gem" first: the story goes along (the page is one form).
    _click(page, page.get_by_role("button", name="Send til kommunen"))
    item.refresh_from_db()
    assert item.state == S.SUBMITTED
    assert item.body.startswith("Klassen var på vandet")
    _check(page)

    page.context.clear_cookies()
    login(page, base_url, consultant.email)
    page.goto(f"{base_url}/admin/knowledge/item/{item.pk}/change/")
    _click(page, page.locator("#screening-decisions a[href$='/decide/approve/']"))
    _click(page, page.locator("#content form [type=submit]").last)
    item.refresh_from_db()
    assert item.state == S.APPROVED, page.locator("#content").inner_text()[:500]

    page.context.clear_cookies()
    login(page, base_url, teacher.email)
    _check(page, base_url + offer.get_absolute_url())
    section = page.locator("#good-examples-heading + ul")
    assert section.get_by_text(item.title).count() == 1
    _click(page, section.get_by_role("link", name=item.title))
    _check(page)
    assert page.locator("h1").inner_text() == item.title


def test_the_knowledge_bank_on_a_phone_without_javascript(browser, live_server, transactional_db):
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    consultant = f.ConsultantFactory(municipality=municipality).user
    make_item(municipality, consultant, title="Tjekliste til idrætsdagen", kind="checklist")
    make_item(municipality, consultant, title="Sådan planlægger I et forløb")
    # A Danish compound longer than a phone is wide wraps (a helper's walk: 467 px wide).
    make_item(municipality, consultant, title="Idrætsdagsplanlægningstjekliste-skabelonudkast")
    context = browser.new_context(
        locale="da-DK", java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/knowledge/")
        page.get_by_label("Tjekliste").check()
        _click(page, page.get_by_role("button", name="Vis"))
        assert "kind=checklist" in page.url
        links = page.locator("main h3 a")
        assert links.all_inner_texts() == ["Tjekliste til idrætsdagen"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        _click(page, links.first)
        assert page.locator("h1").inner_text() == "Tjekliste til idrætsdagen"
        page.goto(live_server.url + "/knowledge/")
        _click(
            page, page.get_by_role("link", name="Idrætsdagsplanlægningstjekliste-skabelonudkast")
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
