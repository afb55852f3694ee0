"""An association signs up, confirms its e-mail, creates its profile and submits it; the
consultant approves it in the admin. In Danish and in English."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from associations.models import Association, Offer
from screening.workflow import ScreeningState
from tests import factories as f
from tests.e2e.conftest import login

PASSWORD = "Kajak-i-Oeresund-2026"


@pytest.fixture
def municipality(transactional_db):
    return f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")


def _set_language(page, base_url, lang):
    page.context.add_cookies([{"name": "portal_language", "value": lang, "url": base_url}])


def sign_up_and_confirm(page, base_url, email: str) -> None:
    page.goto(base_url + "/signup/")
    page.locator("[name=full_name]").fill("Karen Kajak")
    page.locator("[name=email]").fill(email)
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/signup/" in page.url  # "check your e-mail"
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, "no confirmation e-mail was sent"
    link = re.search(r"https?://[^\s\"<>]+/signup/confirm/[^\s\"<>]+", messages[-1].body)
    assert link, messages[-1].body
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    page.goto(base_url + path)
    page.wait_for_load_state()
    if "/login/" in page.url:
        page.locator("input[name=username]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    assert "/login/" not in page.url


def create_profile(page, base_url, municipality) -> Association:
    page.goto(base_url + "/association/new/")
    fill = {
        "name": "Helsingør Kajakklub",
        "cvr": "29403473",
        "description": "Vi padler med børn og unge i Øresund.",
        "address": "Strandvejen 5",
        "postal_code": "3000",
        "town": "Helsingør",
        "contact_name": "Karen Kajak",
        "contact_role": "Formand",
        "contact_phone": "12345678",
        "contact_email": "karen@kajak.example",
        "members_under_18": "40",
        "members_under_25": "55",
    }
    for name, value in fill.items():
        page.locator(f"main [name={name}]").fill(value)
    page.locator("main input[name=domains][value=sport]").check()
    page.locator(f"main input[name=municipalities][value='{municipality.pk}']").check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    association = Association.objects.get(name="Helsingør Kajakklub")
    assert association.state == ScreeningState.DRAFT
    assert f"/association/{association.slug}/" in page.url
    return association


@pytest.mark.parametrize("lang", ["da", "en"])
def test_association_signs_up_confirms_and_creates_its_profile(page, base_url, municipality, lang):
    _set_language(page, base_url, lang)
    sign_up_and_confirm(page, base_url, f"karen-{lang}@kajak.example")
    association = create_profile(page, base_url, municipality)
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("h1")).to_contain_text("Helsingør Kajakklub")
    # Submit the profile for screening.
    with page.expect_navigation():
        page.locator(f"form[action$='/association/{association.slug}/submit/'] button").click()
    association.refresh_from_db()
    assert association.state == ScreeningState.SUBMITTED


@pytest.mark.parametrize("lang", ["da", "en"])
def test_consultant_approves_the_association_in_the_admin(
    consultant_group, page, base_url, municipality, lang
):
    association = f.AssociationFactory(
        municipalities=[municipality], name="Helsingør Kajakklub", state=ScreeningState.SUBMITTED
    )
    consultant = f.ConsultantFactory(municipality=municipality).user
    _set_language(page, base_url, lang)
    login(page, base_url, consultant.email)
    page.goto(f"{base_url}/admin/associations/association/{association.pk}/change/")
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("#content")).to_contain_text("Helsingør Kajakklub")
    with page.expect_navigation():
        page.locator("#screening-decisions a[href$='/decide/approve/']").click()
    with page.expect_navigation():
        page.locator("#content form [type=submit]").last.click()
    association.refresh_from_db()
    assert association.state == ScreeningState.APPROVED, page.locator("#content").inner_text()[:500]


def _go(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _current_step(page) -> str:
    return page.locator("main ol.offer-steps [aria-current=step]").inner_text()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_association_fills_in_an_offer_step_by_step_on_a_phone(
    browser, live_server, municipality, lang
):
    """A volunteer's evening on a phone, without JavaScript: a few fields, Enter, "Back",
    a jump in the progress list, "Save as draft", a refused submit that lists what is
    missing, a link to the field, and the submit that goes through."""
    association = f.AssociationFactory(municipalities=[municipality], slug="kajak")
    admin = f.AssociationMembershipFactory(association=association, role="admin").user
    instructor = f.InstructorFactory(association=association)
    context = browser.new_context(
        locale="da-DK", java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    base_url = live_server.url
    try:
        _set_language(page, base_url, lang)
        login(page, base_url, admin.email)
        # "My association" with its instructors' table fits the phone too (the table scrolls
        # in its own box; its hidden button labels once widened the page).
        page.goto(base_url + "/association/kajak/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # Its instructors' table fits too: "Edit" and "Remove" (once cut to "Red" at the
        # scrolling box's edge) are under each name.
        table = page.locator("#instructors table").bounding_box()
        assert table["x"] + table["width"] <= 360
        edit = "Redigér" if lang == "da" else "Edit"
        expect(page.locator("#instructors").get_by_role("link", name=edit)).to_be_visible()
        page.goto(base_url + "/association/kajak/offers/new/")
        assert page.locator("html").get_attribute("lang") == lang
        steps = page.locator("main ol.offer-steps > li")
        assert steps.count() == 6
        first_step = _current_step(page)
        assert first_step == ("Hvad" if lang == "da" else "What")
        # The page fits a phone: nothing is wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        # Step 1: a title, then Enter (the keyboard's "Save and continue").
        page.locator("main [name=title]").fill("Kajak for 5. klasse")
        with page.expect_navigation():
            page.locator("main [name=title]").press("Enter")
        offer = Offer.objects.get(association=association)
        assert offer.title == "Kajak for 5. klasse" and offer.state == ScreeningState.DRAFT
        assert _current_step(page) != first_step
        # Step 2, then "Back": both saved; step 1 still shows the title.
        page.locator("main [name=pupils_max]").fill("28")
        page.locator("main input[name=location][value=association]").check()
        _go(page, page.locator("main form button[name=go][value=back]"))
        assert page.locator("main [name=title]").input_value() == "Kajak for 5. klasse"
        offer.refresh_from_db()
        assert offer.pupils_max == 28 and offer.location == "association"

        # A step in the progress list saves what is typed and goes there: "When".
        page.locator("main [name=summary]").fill("Eleverne lærer at padle sikkert")
        _go(page, page.locator("main button[name=go][value='step:when']"))
        offer.refresh_from_db()
        assert offer.summary == "Eleverne lærer at padle sikkert"
        # Nothing is ticked in advance.
        assert page.locator("main input[type=checkbox]:checked").count() == 0
        page.locator("main [name=duration_minutes]").fill("120")
        page.locator("#id_weekdays_1").focus()
        page.keyboard.press("Space")  # Tuesday, by keyboard
        page.locator("main input[name=weekdays][value='4']").check()
        _go(page, page.locator("main form button[name=go][value=draft]"))
        assert "/steps/when/" in page.url
        expect(page.locator(".alert-success")).to_be_visible()
        offer.refresh_from_db()
        assert offer.weekdays == "24" and offer.duration_minutes == 120 and not offer.on_request

        # Instructors, then the last step; submitting lists what is missing.
        _go(page, page.locator("main button[name=go][value='step:goals']"))
        page.locator(f"main input[name=instructors][value='{instructor.pk}']").check()
        _go(page, page.locator("main form button.btn-primary[name=go][value=next]"))
        assert "/steps/submit/" in page.url
        _go(page, page.locator("main form[action$='/submit/'] button"))
        summary = page.locator("#error-summary")
        expect(summary).to_be_visible()
        links = summary.locator("a")
        assert links.count() == 3  # description, domain, format
        offer.refresh_from_db()
        assert offer.state == ScreeningState.DRAFT

        # The link leads to the field on its step; fill in the rest there.
        _go(page, links.first)
        assert page.url.endswith("#id_description")
        page.locator("main [name=description]").fill("En dag på vandet med instruktører.")
        page.locator("main [name=domain]").select_option("sport")
        page.locator("main input[name=format][value=visit]").check()
        _go(page, page.locator("main button[name=go][value='step:submit']"))
        assert page.locator("#missing-summary").count() == 0
        _go(page, page.locator("main form[action$='/submit/'] button"))
        offer.refresh_from_db()
        assert offer.state == ScreeningState.SUBMITTED
        assert list(offer.instructors.all()) == [instructor]
        assert f"/association/{association.slug}/" in page.url
    finally:
        context.close()
