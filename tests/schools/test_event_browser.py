"""The dialogue about a school's event in a real browser: the association offers to take
part, the teacher accepts with a message, the association sees the answer and writes back.
Every page of it passes axe-core. Skipped without Chromium (see tests/e2e)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from schools.models import EventParticipation, SchoolEvent
from tests.e2e.conftest import format_violations, login, run_axe

pytestmark = pytest.mark.e2e


def _accessible(page):
    violations = run_axe(page)
    assert not violations, f"{page.url}\n" + format_violations(violations)


def test_offer_answer_and_thread(
    axe_page, base_url, school, teacher, association_member, published_offer
):
    day = timezone.localdate() + timedelta(days=40)
    event = SchoolEvent.objects.create(
        school=school, title="Idrætsdag", starts_on=day, ends_on=day, created_by=teacher
    )
    page = axe_page
    login(page, base_url, association_member.email)
    page.goto(f"{base_url}/school-events/")
    with page.expect_navigation():
        page.get_by_role("link", name="Tilbyd at deltage").click()
    page.get_by_label("Besked til skolen").fill("Vi stiller med en fodboldpost")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("main").get_by_text("Tilbudt").is_visible()
    _accessible(page)

    participation = EventParticipation.objects.get(event=event)
    page.context.clear_cookies()
    login(page, base_url, teacher.email)
    page.goto(base_url + participation.get_absolute_url())
    _accessible(page)
    page.get_by_label("Tag imod tilbuddet").check()
    page.get_by_label("Besked til foreningen").fill("Velkommen kl. 9 ved hallen")
    with page.expect_navigation():
        page.get_by_role("button", name="Send svaret").click()
    participation.refresh_from_db()
    assert participation.state == "accepted"

    page.context.clear_cookies()
    login(page, base_url, association_member.email)
    page.goto(f"{base_url}/school-events/")
    assert page.locator("main").get_by_text("Velkommen kl. 9 ved hallen").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Se svaret og beskederne").click()
    page.locator("#messages textarea").fill("Vi glæder os!")
    with page.expect_navigation():
        page.get_by_role("button", name="Send besked").click()
    assert page.locator("#messages article").get_by_text("Vi glæder os!").is_visible()
    _accessible(page)
