"""axe-core on every public page and form: no serious or critical WCAG 2.1 A/AA violations.

Pages of features that are still being built are listed with ``pending(...)``: the test
is a strict xfail while the URL name does not exist yet, so it turns into a failure
(XPASS) the moment the feature lands and the marker must be removed.
"""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe


def pending(name: str, reason: str):
    return pytest.param(
        name,
        marks=pytest.mark.xfail(raises=NoReverseMatch, strict=True, reason=reason),
        id=name,
    )


@pytest.fixture
def world(transactional_db):
    m = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[m], name="Helsingør Roklub", slug="roklub")
    offer = f.OfferFactory(association=association, published=True, slug="kajak-for-7-klasse")
    # A fixed-date offer: the catalog's cards and calendar show its next date.
    f.OccasionFactory(offer__association=association, capacity=3, confirm_on_booking=True)
    return {"municipality": m, "association": association, "offer": offer}


def _url(name: str, world) -> str:
    kwargs = {
        "catalog:offer_detail": {"slug": "kajak-for-7-klasse"},
        "catalog:association_detail": {"slug": "roklub"},
        "catalog:embed_detail": {"slug": "kajak-for-7-klasse"},
    }.get(name, {})
    return reverse(name, kwargs=kwargs)


def assert_accessible(page, url: str, *, status: int = 200) -> None:
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    violations = run_axe(page)
    assert not violations, f"axe-core on {url}:\n{format_violations(violations)}"


PUBLIC_PAGES = [
    "home",
    "accessibility",
    "privacy",
    "contact",
    "accounts:login",
    "accounts:signup",
    "accounts:password_reset",
    "catalog:offer_list",
    "catalog:offer_calendar",
    "catalog:offer_detail",
    "catalog:association_detail",
    "catalog:embed_list",
    "catalog:embed_detail",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_serious_violations(axe_page, base_url, world, name):
    assert_accessible(axe_page, base_url + _url(name, world))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_front_page_in_both_languages(axe_page, base_url, world, lang):
    axe_page.context.add_cookies([{"name": "portal_language", "value": lang, "url": base_url}])
    assert_accessible(axe_page, base_url + "/")
    assert axe_page.locator("html").get_attribute("lang") == lang


def test_404_page(axe_page, base_url, world):
    assert_accessible(axe_page, base_url + "/findes-ikke/", status=404)


def test_login_form_with_validation_errors(axe_page, base_url, world):
    axe_page.goto(base_url + reverse("accounts:login"))
    axe_page.locator("main form button[type=submit]").click()
    axe_page.wait_for_load_state()
    # The error summary is shown ...
    assert axe_page.locator(".invalid-feedback, .alert-danger, .errorlist").count() > 0
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)


def test_signup_form_with_validation_errors(axe_page, base_url, world):
    axe_page.goto(base_url + reverse("accounts:signup"))
    axe_page.locator("main form button[type=submit]").first.click()
    axe_page.wait_for_load_state()
    assert axe_page.locator(".invalid-feedback, .alert-danger, .errorlist").count() > 0
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)


MY_PAGES = {
    "teacher": [
        "/offers/",
        "/needs/",
        "/needs/new/",
        "/school/",
        "/offers/kajak-for-7-klasse/book/",
        "/notifications/settings/",
        "/account/data/",
    ],
    "association_admin": [
        "/association/",
        "/association/roklub/",
        "/association/roklub/profile/",
        "/association/roklub/offers/new/",
        "/needs/",
    ],
    "consultant": ["/dashboard/", "/consultant/bookings/", "/pool/", "/school/staff/"],
}


@pytest.mark.parametrize(
    "role,path", [(role, path) for role, paths in MY_PAGES.items() for path in paths]
)
def test_my_pages_and_dashboard(axe_page, base_url, world, role, path):
    """The "My ..." pages, forms and the dashboard, with the account menu of each role."""
    if role == "teacher":
        school = f.SchoolFactory(municipality=world["municipality"])
        user = f.SchoolMembershipFactory(school=school, role="teacher").user
    elif role == "association_admin":
        user = f.AssociationMembershipFactory(association=world["association"], role="admin").user
    else:
        user = f.ConsultantFactory(municipality=world["municipality"]).user
    login(axe_page, base_url, user.email)
    assert_accessible(axe_page, base_url + path)


@pytest.mark.parametrize(
    "role,path",
    [
        ("teacher", "/offers/kajak-for-7-klasse/book/"),
        ("teacher", "/needs/new/"),
        ("association_admin", "/association/roklub/profile/"),
    ],
)
def test_my_forms_with_validation_errors(axe_page, base_url, world, role, path):
    if role == "teacher":
        school = f.SchoolFactory(municipality=world["municipality"])
        user = f.SchoolMembershipFactory(school=school, role="teacher").user
    else:
        user = f.AssociationMembershipFactory(association=world["association"], role="admin").user
    login(axe_page, base_url, user.email)
    axe_page.goto(base_url + path)
    form = axe_page.locator("main form[method=post]").last
    # Empty the required text fields so that the form comes back with errors.
    for field in form.locator("input[required], textarea[required]").all():
        if field.get_attribute("type") not in ("checkbox", "radio", "file", "hidden"):
            field.fill("")
    with axe_page.expect_navigation():
        form.locator("button[type=submit]:not([name])").last.click()
    assert axe_page.locator(".invalid-feedback, .alert-danger, .errorlist").count() > 0
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)


def test_pages_about_an_expired_child_certificate(axe_page, base_url, world):
    """The association's notice and the instructor form's warning, and the friendly page a
    visitor gets for the offer's old link."""
    from datetime import timedelta

    from django.utils import timezone

    from associations.services import refresh_certificate_validity

    association, offer = world["association"], world["offer"]
    instructor = offer.instructors.get()
    instructor.child_certificate_date = timezone.localdate() - timedelta(days=1000)
    instructor.save()
    refresh_certificate_validity(offer)
    f.OfferFactory(association=association, published=True, domain=offer.domain, title="Roning")
    assert_accessible(axe_page, base_url + offer.get_absolute_url())
    assert axe_page.locator("#offer-unavailable").count() == 1
    user = f.AssociationMembershipFactory(association=association, role="admin").user
    login(axe_page, base_url, user.email)
    assert_accessible(axe_page, base_url + reverse("associations:detail", args=["roklub"]))
    assert axe_page.locator(".certificate-expired").count() == 1
    edit = reverse("associations:instructor_edit", args=["roklub", instructor.pk])
    assert_accessible(axe_page, base_url + edit)
    assert axe_page.locator("#certificate-expired").count() == 1


def test_offer_form_steps_and_their_errors(axe_page, base_url, world):
    """The offer form saves drafts (nothing is required in a step): its errors are a value
    out of range in a step, and what is missing when it is submitted for screening."""
    user = f.AssociationMembershipFactory(association=world["association"], role="admin").user
    login(axe_page, base_url, user.email)
    axe_page.goto(base_url + "/association/roklub/offers/new/")
    with axe_page.expect_navigation():
        axe_page.locator("main [name=title]").press("Enter")  # saved; the second step
    assert axe_page.locator("main [aria-current=step]").count() == 1
    axe_page.locator("main [name=pupils_min]").fill("30")
    axe_page.locator("main [name=pupils_max]").fill("10")
    with axe_page.expect_navigation():
        axe_page.locator("main [name=pupils_max]").press("Enter")
    assert axe_page.locator("#error-summary").count() == 1
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)
    axe_page.goto(axe_page.url.replace("/steps/for-whom/", "/steps/submit/"))
    with axe_page.expect_navigation():
        axe_page.locator("main form[action$='/submit/'] button").click()
    assert axe_page.locator("#error-summary a").count() > 0
    violations = run_axe(axe_page)
    assert not violations, format_violations(violations)
