"""A visitor browses the catalog's calendar with the keyboard only: from the list to the
calendar, a filter, the next month, a day's link to its list of dates, and back to the list.
No script is needed for any of it (the same steps with JavaScript off)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.bookings.conftest import school_day


@pytest.fixture
def calendar_world(transactional_db):
    m = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[m], name="Helsingør Roklub", slug="roklub")
    kayak = f.OfferFactory(
        association=association, published=True, title="Kajak i havnen", on_request=False
    )
    nature = f.OfferFactory(
        association=association,
        published=True,
        title="Skovens dyr",
        domain="nature",
        on_request=False,
    )
    # Both in the month after this one.
    today = timezone.localdate()
    first_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    start = school_day((first_next - today).days + 7)
    f.OccasionFactory(offer=kayak, starts_at=start, capacity=3, confirm_on_booking=True)
    f.OccasionFactory(offer=nature, starts_at=start + timedelta(hours=3), capacity=2)
    return {"day": timezone.localtime(start).date()}


def press_on(page, locator) -> None:
    """Tab until ``locator`` has the focus (at most 200 presses), then press Enter."""
    for _ in range(200):
        if locator.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("never reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("javascript", [True, False])
def test_keyboard_through_the_calendar(browser, live_server, calendar_world, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    context.add_cookies([{"name": "portal_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/offers/?municipality=helsingor")
        press_on(page, page.get_by_role("link", name="Show the dates as a calendar"))
        assert "/offers/calendar/" in page.url
        press_on(page, page.get_by_role("link", name="Next month"))
        day = calendar_world["day"]
        assert f"month={day:%Y-%m}" in page.url
        main = page.locator("main")
        expect(main).to_contain_text("Kajak i havnen")
        expect(main).to_contain_text("Skovens dyr")
        expect(main).to_contain_text("confirmed on booking")
        # The day's link in the grid leads to its list.
        link = page.locator(f'a[href="#day-{day.isoformat()}"]')
        expect(link).to_contain_text("2 dates")
        link.focus()
        page.keyboard.press("Enter")
        expect(page.locator(f"#day-{day.isoformat()}")).to_be_visible()
        # A filter keeps the month.
        nature = page.get_by_label("Nature and outdoor life")
        nature.focus()
        page.keyboard.press("Space")
        expect(nature).to_be_checked()
        press_on(page, page.get_by_role("button", name="Show offers"))
        assert f"month={day:%Y-%m}" in page.url
        expect(main).to_contain_text("Skovens dyr")
        expect(main).not_to_contain_text("Kajak i havnen")
        # Back to the list, with the filter.
        press_on(page, page.get_by_role("link", name="Show the offers as a list"))
        assert "/offers/?" in page.url and "domain=nature" in page.url
        expect(page.locator("main")).to_contain_text("1 offer")
    finally:
        context.close()
