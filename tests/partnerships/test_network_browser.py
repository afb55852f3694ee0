"""Network meetings in a real browser on a phone (390 px): a teacher finds the open
knowledge-sharing event on My school, signs the school up with the keyboard only, and the
pages pass axe-core. Skipped without Chromium (see tests/e2e)."""

import pytest
from django.urls import reverse

from partnerships.network.models import Registration
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

from .network_helpers import make_event

pytestmark = pytest.mark.e2e


def _axe(page):
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{format_violations(violations)}"


def test_a_teacher_signs_up_for_an_open_event_by_keyboard_on_a_phone(
    transactional_db, axe_page, base_url
):
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    school = f.SchoolFactory(municipality=municipality, name="Espergærde Skole")
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    event = make_event(
        municipality, title="Videndeling om forløb", audience="open", kind="knowledge"
    )
    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base_url, teacher.email)
    page.goto(base_url + reverse("bookings:my_school"))
    _axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Alle netværksmøder og arrangementer").click()
    assert page.url.endswith("/events/")
    _axe(page)
    link = page.get_by_role("link", name="Videndeling om forløb")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/events/{event.pk}/")
    _axe(page)
    page.get_by_label("Antal deltagere").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Tab")  # to the sign-up button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    row = Registration.objects.get()
    assert (row.school, row.participants, row.state) == (school, 3, "confirmed")
    assert page.get_by_text("I er tilmeldt.").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _axe(page)
