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
        f"/association/kajak/offers/{offer.pk}/steps/for-whom/",
        f"/association/kajak/offers/{offer.pk}/steps/when/",
        f"/association/kajak/offers/{offer.pk}/steps/price/",
        f"/association/kajak/offers/{offer.pk}/steps/goals/",
        f"/association/kajak/offers/{offer.pk}/steps/submit/",
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
    with axe_page.expect_navigation():
        axe_page.locator("main form button.btn-primary[type=submit]").click()
    offer = Offer.objects.get()  # the first step is saved as a draft
    # A value out of range on the second step: refused next to the field, input kept.
    axe_page.locator("main [name=pupils_min]").fill("30")
    axe_page.locator("main [name=pupils_max]").fill("10")
    with axe_page.expect_navigation():
        axe_page.locator("main form button.btn-primary[type=submit]").click()
    assert axe_page.locator("#error-summary a[href='#id_pupils_max']").count() == 1
    assert axe_page.locator("main [name=pupils_min]").input_value() == "30"
    offer.refresh_from_db()
    assert offer.pupils_min == 1 and offer.title == "Kajak for 5. klasse"
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)
    # "Submit for screening" with fields missing: the list at the top of the last step.
    axe_page.goto(base_url + f"/association/kajak/offers/{offer.pk}/steps/submit/")
    with axe_page.expect_navigation():
        axe_page.locator("main form[action$='/submit/'] button").click()
    assert axe_page.locator("#error-summary a").count() >= 5
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)


def test_signup_page_for_a_user_without_roles(transactional_db, axe_page, base_url):
    f.AssociationFactory(name="Spejderne")
    user = f.UserFactory()
    login(axe_page, base_url, user.email)
    _check(axe_page, base_url + "/me/")
