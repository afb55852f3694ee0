"""A teacher finds an offer with the filters and books an occasion; the association confirms;
the teacher sees the confirmation and downloads the .ics. In Danish and in English."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from bookings.models import Booking
from bookings.states import BookingState
from tests import factories as f
from tests.bookings.conftest import make_booking, school_day
from tests.e2e.conftest import login


@pytest.fixture
def booking_world(transactional_db):
    m = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
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
    )
    f.OfferFactory(
        association=association,
        published=True,
        slug="sanglege",
        title="Sanglege for de små",
        grade_min=0,
        grade_max=2,
    )
    start = school_day(30)
    f.OccasionFactory(offer=kayak, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2)
    school = f.SchoolFactory(municipality=m, name="Kronborg Skole")
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    return {"admin": admin, "teacher": teacher, "kayak": kayak, "school": school}


def _logout(page, base_url, lang):
    """Switch user: a fresh session (log-out itself is covered in test_journeys_basic)."""
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "portal_language", "value": lang, "url": base_url}])


@pytest.mark.parametrize("lang", ["da", "en"])
def test_teacher_filters_books_association_confirms_teacher_gets_ics(
    page, base_url, booking_world, lang
):
    page.context.add_cookies([{"name": "portal_language", "value": lang, "url": base_url}])
    login(page, base_url, booking_world["teacher"].email)

    # Filter the catalog by grade: only the offer for grades 7-9 remains.
    page.goto(base_url + "/offers/")
    expect(page.locator("main")).to_contain_text("Sanglege for de små")
    page.locator("main input[name=grade]").fill("8")
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").first.click()
    assert "grade=8" in page.url
    results = page.locator("section[aria-labelledby=results-heading]")
    expect(results).to_contain_text("Kajak for udskolingen")
    expect(results).not_to_contain_text("Sanglege for de små")
    with page.expect_navigation():
        results.locator("a", has_text="Kajak for udskolingen").first.click()

    # Book the occasion (keyboard only for the booking form: WCAG 2.1.1).
    with page.expect_navigation():
        page.locator("main a[href$='/offers/kajak/book/']").first.click()
    assert page.locator("html").get_attribute("lang") == lang
    page.locator("main input[name=occasion]").first.check()
    page.locator("main [name=classes]").fill("8.A")
    page.locator("main [name=grade]").fill("8")
    page.locator("main [name=pupils]").fill("24")
    page.locator("main [name=pupils]").focus()
    with page.expect_navigation():
        # Tab on to "Send request" (past "Calculate price") and press Enter.
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate(
                "document.activeElement.type === 'submit' && !document.activeElement.name"
                " && document.activeElement.closest('form').method === 'post'"
            ):
                break
        else:
            pytest.fail("the booking form's submit button cannot be reached with Tab")
        page.keyboard.press("Enter")
    assert Booking.objects.exists(), page.locator("main").inner_text()[:1500]
    booking = Booking.objects.get()
    assert booking.state == BookingState.REQUESTED
    assert f"/bookings/{booking.pk}/" in page.url
    _logout(page, base_url, lang)

    # The association confirms.
    login(page, base_url, booking_world["admin"].email)
    page.goto(f"{base_url}/bookings/{booking.pk}/")
    with page.expect_navigation():
        page.locator(f"form[action$='/bookings/{booking.pk}/confirm/'] button").click()
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED
    _logout(page, base_url, lang)

    # The teacher sees the confirmation and downloads the calendar file.
    login(page, base_url, booking_world["teacher"].email)
    page.goto(f"{base_url}/bookings/{booking.pk}/")
    with translation.override(lang):
        confirmed = str(BookingState.CONFIRMED.label)
    expect(page.locator("main")).to_contain_text(confirmed)
    page.goto(base_url + "/school/")
    with page.expect_download() as download_info:
        page.locator("main a[href$='/bookings.ics']").click()
    ics = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "Kajak for udskolingen" in ics


def test_declining_takes_two_steps_by_keyboard(page, base_url, booking_world):
    """ "Afvis" cannot be undone and tells the school at once: the first press only opens the
    reason and the real button, which the keyboard reaches next."""
    world = booking_world
    kayak = world["kayak"]
    occasion = kayak.occasions.get()
    booking = make_booking(
        world["teacher"], world["school"], kayak, occasion, grade=8, classes="8.A"
    )
    page.context.add_cookies([{"name": "portal_language", "value": "da", "url": base_url}])
    login(page, base_url, world["admin"].email)
    page.goto(f"{base_url}/bookings/{booking.pk}/")
    final = page.get_by_role("button", name="Afvis bookingen")
    expect(final).to_be_hidden()
    opener = page.locator("#decline summary")
    opener.focus()
    page.keyboard.press("Enter")
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED  # opening declines nothing
    expect(final).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.type("Vi har ingen instruktør den dag.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Afvis bookingen"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    booking.refresh_from_db()
    assert booking.state == BookingState.DECLINED
    assert booking.events.filter(note__contains="ingen instruktør").exists()
