"""The loop of "request changes", in a browser and in both languages: the consultant asks in
the admin, the association reads the request on top of the offer form, changes it and submits
again, and the consultant sees what changed since the request."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from associations.models import Offer
from screening import services
from screening.workflow import ScreeningState, Transition
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

REQUEST = "Skriv hvilke læringsmål forløbet støtter."


def _set_language(page, base_url, lang):
    page.context.add_cookies([{"name": "portal_language", "value": lang, "url": base_url}])


@pytest.mark.parametrize("lang", ["da", "en"])
def test_change_request_is_answered_and_the_consultant_sees_the_difference(
    consultant_group, axe_page, base_url, lang
):
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[municipality], name="Kajakklubben")
    offer = f.OfferFactory(association=association, title="Kajak", learning_goals="Idræt")
    offer.instructors.add(f.InstructorFactory(association=association))
    services.transition(offer, Transition.SUBMIT)
    consultant = f.ConsultantFactory(municipality=municipality).user
    member = f.AssociationMembershipFactory(association=association, role="admin").user
    page = axe_page
    _set_language(page, base_url, lang)

    # The consultant asks for changes in the admin.
    login(page, base_url, consultant.email)
    page.goto(f"{base_url}/admin/associations/offer/{offer.pk}/decide/request_changes/")
    page.locator("#content textarea[name=message]").fill(REQUEST)
    with page.expect_navigation():
        page.locator("#content form [type=submit]").last.click()
    offer.refresh_from_db()
    assert offer.state == ScreeningState.CHANGES_REQUESTED

    # The association reads the request on top of the form it edits.
    page.context.clear_cookies()
    _set_language(page, base_url, lang)
    login(page, base_url, member.email)
    page.goto(f"{base_url}/association/{association.slug}/offers/{offer.pk}/")
    expect(page.locator("#change-request")).to_contain_text(REQUEST)
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    # The learning goals are on their own step of the form (the progress list leads there).
    with page.expect_navigation():
        page.locator("main button[name=go][value='step:goals']").click()
    expect(page.locator("#change-request")).to_contain_text(REQUEST)
    page.locator("main textarea[name=learning_goals]").fill("Idræt: samarbejde og tillid")
    with page.expect_navigation():
        page.locator("main form button[name=go][value=draft]").click()
    page.goto(f"{base_url}/association/{association.slug}/")
    with page.expect_navigation():
        page.locator(f"form[action$='/offers/{offer.pk}/submit/'] button").click()
    offer.refresh_from_db()
    assert offer.state == ScreeningState.SUBMITTED
    page.goto(f"{base_url}/association/{association.slug}/offers/{offer.pk}/")
    expect(page.locator("#change-request")).to_have_count(0)

    # The consultant sees the request and what changed since.
    page.context.clear_cookies()
    _set_language(page, base_url, lang)
    login(page, base_url, consultant.email)
    page.goto(f"{base_url}/admin/associations/offer/{offer.pk}/change/")
    section = page.locator("#screening-resubmission")
    expect(section).to_contain_text(REQUEST)
    expect(section.locator("ins")).to_have_text("Idræt: samarbejde og tillid")
    expect(section.locator("del")).to_have_text("Idræt")
    assert page.locator("html").get_attribute("lang") == lang
    assert Offer.objects.get(pk=offer.pk).learning_goals == "Idræt: samarbejde og tillid"
