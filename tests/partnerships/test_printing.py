"""The approved action plan on paper: a printable page and a PDF, in Danish and English, for
the partner's members, the partnership's schools' staff and the municipality's consultants
only; the approved version while an edit of it is screened."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partnerships import services
from partnerships.focus import create_defaults
from partnerships.models import ActionPlan, Activity, FocusArea, Goal
from screening import services as screening_services
from screening.workflow import S, Transition
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(partnership, association_member, consultant):
    create_defaults(partnership.municipality)
    area = FocusArea.objects.get(
        municipality=partnership.municipality, name="Inddragelse af forældre"
    )
    plan = services.create_plan(
        partnership, title="Handleplan for Ærø Kajakklub", focus_areas=[area]
    )
    Goal.objects.create(
        plan=plan,
        focus_area=area,
        description="Flere forældre på søen i løbet af året",
        indicator="Forældre på hjælperlisten (ø-turen)",
        target="20 i år",
    )
    Activity.objects.create(
        plan=plan, focus_area=area, what="Forældreaften på åen", who="Bestyrelsen", when="Maj"
    )
    services.submit_plan(plan, by=association_member)
    return screening_services.decide(plan, Transition.APPROVE, by=consultant)


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def urls(plan):
    return (
        reverse("partnerships:plan_print", args=[plan.pk]),
        reverse("partnerships:plan_pdf", args=[plan.pk]),
    )


def test_the_pdf_has_the_plan_with_danish_letters_in_both_languages(
    client, association_member, approved
):
    client.force_login(association_member)
    _page, pdf = urls(approved)
    response = client.get(pdf)
    assert f'filename="handleplan-{approved.pk}.pdf"' in response["Content-Disposition"]
    danish = pdf_text(response)
    for text in (
        "Handleplan for Ærø Kajakklub",
        "Inddragelse af forældre",
        "Flere forældre på søen",
        "Forældreaften på åen",
        "Ressourceperson",
        "Indikator",
    ):
        assert text in danish, text
    response = client.get(pdf + "?lang=en")
    assert f'filename="action-plan-{approved.pk}.pdf"' in response["Content-Disposition"]
    english = pdf_text(response)
    assert "Resource person" in english and "Indicator" in english
    assert "Flere forældre på søen" in english  # the partner's own words stay as written
    assert "Ressourceperson" not in english


def test_the_printable_page_follows_the_viewer_or_lang(client, teacher, approved):
    client.force_login(teacher)
    page, pdf = urls(approved)
    danish = client.get(page)
    assert danish.status_code == 200
    html = danish.content.decode()
    assert "Flere forældre på søen" in html and "Ressourceperson" in html
    assert "partnerships/print.css" in html  # the print stylesheet
    assert f"{pdf}?lang=da" in html
    english = client.get(page + "?lang=en").content.decode()
    assert "Resource person" in english and 'lang="en"' in english
    assert "Ressourceperson" in client.get(page + "?lang=xx").content.decode()  # the viewer's
    assert client.get(pdf + "?lang=da%00").status_code == 400  # the portal's NUL-byte guard


def test_who_may_read_the_approved_plan(
    client,
    approved,
    association_member,
    teacher,
    consultant,
    other_teacher,
    other_consultant,
    other_association_admin,
):
    for user, status in [
        (association_member, 200),
        (teacher, 200),  # staff of a school in the partnership
        (consultant, 200),  # a consultant of the municipality
        (other_teacher, 404),  # a school of the municipality that is not in the partnership
        (other_consultant, 404),  # another municipality
        (other_association_admin, 404),  # another association of the municipality
        (f.UserFactory(), 404),
    ]:
        client.force_login(user)
        for url in urls(approved):
            assert client.get(url).status_code == status, (user, url)
    client.logout()
    for url in urls(approved):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_a_plan_not_approved_has_no_paper_version(client, association_member, partnership):
    create_defaults(partnership.municipality)
    draft = services.create_plan(
        partnership, title="Kladde", focus_areas=list(FocusArea.objects.all()[:1])
    )
    client.force_login(association_member)
    for url in urls(draft):
        assert client.get(url).status_code == 404
    assert client.get("/partnerships/plans/99999999999999999999/pdf/").status_code == 404


def test_the_approved_version_is_printed_while_an_edit_is_screened(
    client, approved, association_member, consultant
):
    edit = services.edit_plan(approved, by=association_member)
    edit.goals.update(description="Et helt nyt mål")
    ActionPlan.objects.filter(pk=edit.pk).update(title="Ny titel")
    services.submit_plan(ActionPlan.objects.get(pk=edit.pk), by=association_member)
    client.force_login(consultant)
    page, pdf = urls(approved)
    text = pdf_text(client.get(pdf))
    assert "Handleplan for Ærø Kajakklub" in text and "Flere forældre på søen" in text
    assert "Et helt nyt mål" not in text and "Ny titel" not in text
    html = client.get(page).content.decode()
    assert "Flere forældre på søen" in html and "Et helt nyt mål" not in html
    for url in urls(edit):  # the edit itself is not a plan in force
        assert client.get(url).status_code == 404
    approved.refresh_from_db()
    assert approved.state == S.APPROVED


def test_the_pages_link_the_paper_version(
    client, approved, association_member, teacher, consultant
):
    page, pdf = urls(approved)
    client.force_login(association_member)
    plan_page = reverse(
        "partnerships:plan", args=[approved.partnership.association.slug, approved.pk]
    )
    assert page in client.get(plan_page).content.decode()
    client.force_login(teacher)
    assert pdf in client.get(reverse("partnerships:school")).content.decode()
    client.force_login(consultant)
    admin_page = f"/admin/partnerships/partnership/{approved.partnership.pk}/change/"
    assert f'<a href="{pdf}">' in client.get(admin_page).content.decode()


def test_user_text_is_escaped_in_the_pdf(client, approved, association_member):
    approved.goals.update(description="<b>fed</b> & <para>")
    client.force_login(association_member)
    assert "<b>fed</b> & <para>" in pdf_text(client.get(urls(approved)[1]))


def test_a_goal_longer_than_a_page_runs_on_to_the_next(client, approved, association_member):
    """A cell of a thousand characters in short lines (within the form's limits) is taller
    than a page: its row is split across pages, not a 500 (ReportLab's LayoutError)."""
    lines = [f"linje {n}" for n in range(110)]
    approved.goals.update(description="\n".join(lines)[:1000])
    approved.activities.update(what="\n".join(lines)[:1000])
    client.force_login(association_member)
    response = client.get(urls(approved)[1])
    assert response.status_code == 200
    text = pdf_text(response)
    assert "linje 0" in text and "linje 109" in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 3
