"""The association's own pages in a real browser, checked by axe-core. Skipped without Chromium
(see tests/e2e); CI runs them."""

import pytest

from associations.models import Offer
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

pytestmark = pytest.mark.e2e


def _check(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    violations = run_axe(page)
    assert not violations, f"axe-core on {url}:\n{format_violations(violations)}"


def test_association_pages_have_no_serious_violations(transactional_db, axe_page, base_url):
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[municipality], slug="kajak")
    admin = f.AssociationMembershipFactory(association=association, role="admin").user
    f.AssociationMembershipFactory(association=association, role="member")
    offer = f.OfferFactory(association=association, published=True)
    instructor = offer.instructors.get()
    login(axe_page, base_url, admin.email)
    for path in (
        "/me/",
        "/association/kajak/",
        "/association/kajak/profile/",
        "/association/kajak/preview/",
        "/association/kajak/offers/new/",
        f"/association/kajak/offers/{offer.pk}/",
        f"/association/kajak/offers/{offer.pk}/preview/",
        "/association/kajak/instructors/new/",
        f"/association/kajak/instructors/{instructor.pk}/",
    ):
        _check(axe_page, base_url + path)


def test_offer_form_with_errors_keeps_input_and_is_accessible(transactional_db, axe_page, base_url):
    association = f.AssociationFactory(slug="kajak")
    admin = f.AssociationMembershipFactory(association=association, role="admin").user
    login(axe_page, base_url, admin.email)
    axe_page.goto(base_url + "/association/kajak/offers/new/")
    axe_page.locator("main [name=title]").fill("Kajak for 5. klasse")
    axe_page.locator("main [name=pupils_min]").fill("30")
    axe_page.locator("main [name=pupils_max]").fill("10")
    axe_page.locator("main form button[type=submit]").first.click()
    axe_page.wait_for_load_state()
    assert axe_page.locator("#error-summary").count() == 1
    assert axe_page.locator("main [name=title]").input_value() == "Kajak for 5. klasse"
    assert not Offer.objects.exists()
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)


def test_signup_page_for_a_user_without_roles(transactional_db, axe_page, base_url):
    f.AssociationFactory(name="Spejderne")
    user = f.UserFactory()
    login(axe_page, base_url, user.email)
    _check(axe_page, base_url + "/me/")
