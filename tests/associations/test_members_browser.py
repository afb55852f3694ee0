"""Removing a member or an instructor, and leaving the association, take two steps in the
browser: a slip of the finger on a phone used to remove someone at once (the member needs a
new invitation, the instructor's child certificate is gone)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from associations.models import AssociationMembership, Instructor
from tests import factories as f
from tests.e2e.conftest import format_violations, login, run_axe

pytestmark = pytest.mark.e2e


@pytest.fixture
def club(transactional_db):
    municipality = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[municipality], slug="kajak")
    admin = f.AssociationMembershipFactory(association=association, role="admin")
    member = f.AssociationMembershipFactory(
        association=association, role="member", user__full_name="Mette Mogensen"
    )
    instructor = f.InstructorFactory(association=association, name="Ib Instruktør")
    return {"admin": admin, "member": member, "instructor": instructor}


def test_removing_a_member_takes_two_steps_by_keyboard(axe_page, base_url, club):
    page = axe_page
    login(page, base_url, club["admin"].user.email)
    page.goto(f"{base_url}/association/kajak/")
    members = page.locator("#remove-member-" + str(club["member"].pk))
    send = members.get_by_role("button", name="Fjern medlemmet Mette Mogensen")
    expect(send).to_be_hidden()  # nothing is sent by the first click
    members.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(send).to_be_visible()
    expect(send).to_have_accessible_description(
        "Mette Mogensen kan ikke længere se eller ændre foreningens tilbud og bookinger og kommer "
        "kun tilbage, hvis en administrator inviterer igen eller godkender en anmodning om "
        "medlemskab."
    )
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    assert AssociationMembership.objects.filter(pk=club["member"].pk).exists()
    send.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Medlemmet er fjernet")
    assert not AssociationMembership.objects.filter(pk=club["member"].pk).exists()


def test_removing_an_instructor_and_leaving_take_two_steps(page, base_url, club):
    login(page, base_url, club["member"].user.email)
    page.goto(f"{base_url}/association/kajak/")
    instructor = page.locator("#remove-instructor-" + str(club["instructor"].pk))
    send = instructor.get_by_role("button", name="Fjern instruktøren Ib Instruktør")
    expect(send).to_be_hidden()
    instructor.get_by_text("Fjern…").click()
    with page.expect_navigation():
        send.click()
    assert not Instructor.objects.filter(pk=club["instructor"].pk).exists()
    leave = page.locator("#leave")
    expect(leave.get_by_role("button", name="Forlad foreningen", exact=True)).to_be_hidden()
    leave.get_by_text("Forlad foreningen…").click()
    with page.expect_navigation():
        leave.get_by_role("button", name="Forlad foreningen", exact=True).click()
    assert not AssociationMembership.objects.filter(pk=club["member"].pk).exists()
