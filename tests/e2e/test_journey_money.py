"""Money before booking, in a browser: the teacher calculates the price and sees who pays
what and that a leader must approve; the request waits; the department head approves it on
"My school"; only then does the association see it. Both pages pass axe-core."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from bookings.models import Booking, SubsidyPool
from bookings.schoolyear import school_year_of
from bookings.states import BookingState
from tests import factories as f
from tests.bookings.conftest import school_day
from tests.e2e.conftest import format_violations, login, run_axe


@pytest.fixture
def money_world(transactional_db):
    m = f.MunicipalityFactory(
        name="Helsingør Kommune", slug="helsingor", code="217", leader_approval_above=500
    )
    start = school_day(30)
    SubsidyPool.objects.create(
        municipality=m, school_year=school_year_of(start.date()), amount=Decimal("10000")
    )
    association = f.AssociationFactory(municipalities=[m], name="Helsingør Roklub", slug="roklub")
    admin = f.AssociationMembershipFactory(association=association, role="admin").user
    kayak = f.OfferFactory(
        association=association,
        published=True,
        slug="kajak",
        title="Kajak for udskolingen",
        grade_min=7,
        grade_max=9,
        on_request=False,
        price_model="per_class",
        price_amount=Decimal("2000"),
    )
    f.OccasionFactory(offer=kayak, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2)
    school = f.SchoolFactory(municipality=m, name="Kronborg Skole")
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    head = f.SchoolMembershipFactory(school=school, role="department_head").user
    return {"admin": admin, "teacher": teacher, "head": head}


def _switch_user(page, base_url, lang, email):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "portal_language", "value": lang, "url": base_url}])
    login(page, base_url, email)


def _no_violations(page):
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{format_violations(violations)}"


@pytest.mark.parametrize(("lang", "thousand"), [("da", "1.000"), ("en", "1,000")])
def test_the_teacher_sees_the_shares_and_the_leader_approves_before_the_association_sees_it(
    axe_page, base_url, money_world, lang, thousand
):
    page = axe_page
    _switch_user(page, base_url, lang, money_world["teacher"].email)
    page.goto(base_url + "/offers/kajak/book/")
    page.locator("main input[name=occasion]").first.check()
    page.locator("main [name=classes]").fill("8.A")
    page.locator("main [name=grade]").fill("8")
    page.locator("main [name=pupils]").fill("24")
    with page.expect_navigation():
        page.locator("main button[name=calculate]").click()
    expect(page.locator("#municipality-share")).to_contain_text(thousand)
    expect(page.locator("#school-share")).to_contain_text(thousand)
    expect(page.locator("#approval-needed")).to_be_visible()
    _no_violations(page)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]:not([name])").click()
    booking = Booking.objects.get()
    assert booking.state == BookingState.AWAITING_APPROVAL

    _switch_user(page, base_url, lang, money_world["admin"].email)
    response = page.goto(f"{base_url}/bookings/{booking.pk}/")
    assert response.status == 404

    _switch_user(page, base_url, lang, money_world["head"].email)
    page.goto(base_url + "/school/")
    expect(page.locator("#to-approve")).to_contain_text("Kajak for udskolingen")
    _no_violations(page)
    with page.expect_navigation():
        page.locator("#to-approve input[value=approve] ~ button").click()
    expect(page.locator("#to-approve")).to_have_count(0)
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED

    _switch_user(page, base_url, lang, money_world["admin"].email)
    response = page.goto(f"{base_url}/bookings/{booking.pk}/")
    assert response.status == 200
    expect(page.locator(f"form[action$='/bookings/{booking.pk}/confirm/']")).to_have_count(1)
