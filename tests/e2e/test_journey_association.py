"""An association signs up, confirms its e-mail, creates its profile and submits it; the
consultant approves it in the admin. In Danish and in English."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from associations.models import Association
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
