"""Network meetings in a real browser on a phone (390 px): a teacher finds the open
knowledge-sharing event on My school, signs the school up with the keyboard only, and the
pages pass axe-core. Skipped without Chromium (see tests/e2e)."""

import importlib
import re

import pytest
from django.apps import apps as global_apps
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


def test_an_invited_partner_answers_on_a_phone_and_the_pages_are_accessible(
    transactional_db, axe_page, base_url
):
    from partnerships.network import services

    from .conftest import make_partnership

    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[municipality], slug="roklub")
    member = f.AssociationMembershipFactory(association=association, role="admin").user
    consultant = f.ConsultantFactory(municipality=municipality).user
    partnership = make_partnership(municipality, consultant, association=association)
    event = make_event(municipality, title="Netværksmøde om frivillige", capacity=2)
    services.invite(event, [partnership])
    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base_url, member.email)
    page.goto(base_url + "/association/roklub/partnerships/")
    _axe(page)
    assert page.get_by_text("I er inviteret: ikke svaret endnu.").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Svar\W+Netværksmøde om frivillige")).click()
    page.get_by_label("Antal deltagere").fill("60")
    with page.expect_navigation():
        page.get_by_role("button", name="Tilmeld").click()
    assert page.locator("#error-summary").count() == 1
    _axe(page)
    page.get_by_label("Antal deltagere").fill("3")  # more than the room: too many
    with page.expect_navigation():
        page.get_by_role("button", name="Tilmeld").click()
    summary = page.locator("#error-summary a[href='#id_participants']")
    assert "Lokalet kan rumme 2 deltagere." in summary.inner_text()
    page.get_by_label("Antal deltagere").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Tilmeld").click()
    assert Registration.objects.get().state == "confirmed"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Afmeld {association.name}").click()
    assert Registration.objects.get().state == "cancelled"


def test_a_double_click_on_save_in_the_admin_adds_one_event(transactional_db, axe_page, base_url):
    """The admin's forms carry no form key: its change form is sent once per page
    (static/js/admin.js), so a double click on "Gem" adds one network event, not two."""
    from datetime import timedelta

    from django.utils import timezone

    from partnerships.network.models import NetworkEvent

    # The Consultant group's permissions come from data migrations, which the flush after
    # each browser test removes; their functions are idempotent, so run them again.
    importlib.import_module("screening.migrations.0003_consultant_group").create_group(
        global_apps, None
    )
    importlib.import_module("partnerships.migrations.0008_network_event_permissions").grant(
        global_apps, None
    )
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    consultant = f.ConsultantFactory(municipality=municipality).user
    page = axe_page
    login(page, base_url, consultant.email)
    add = base_url + "/admin/partnerships/networkevent/add/"
    response = page.goto(add)
    assert response.status == 200 and page.locator("#networkevent_form").count() == 1, page.url
    # Two submits of the same page (a double click, deterministic here): the browser lets
    # the first go (a listener after ours counts it and stops it) and not the second.
    sent = page.evaluate(
        """() => {
            let sent = 0;
            window.addEventListener("submit", (e) => {
                if (!e.defaultPrevented) sent += 1;
                e.preventDefault();
            });
            const form = document.getElementById("networkevent_form");
            form.requestSubmit();
            form.requestSubmit();
            return sent;
        }"""
    )
    assert sent == 1
    # A page's first click still saves.
    page.goto(add)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.locator("[name=kind]").select_option("network")
    page.locator("[name=title]").fill("Netværksmøde")
    page.locator("[name=starts_at]").fill(f"{day}T17:00")
    page.locator("[name=ends_at]").fill(f"{day}T19:00")
    page.locator("[name=place]").fill("Kulturværftet")
    page.locator("[name=capacity]").fill("20")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert "/add/" not in page.url
    assert NetworkEvent.objects.count() == 1
