"""Expired child certificates are never silent: the instructor form warns, an offer naming such an
instructor cannot be submitted, and an offer that left the portal because of one says so on
"My association" with the fix one click away (the e-mail: tests/screening/test_tasks.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from associations import services
from associations import tasks as association_tasks
from associations.models import Offer
from screening.workflow import S, TransitionNotAllowed
from tests import factories as f

pytestmark = pytest.mark.django_db


def too_old(municipality):
    """A certificate date one day past the municipality's limit."""
    return timezone.localdate() - municipality.child_certificate_max_age - timedelta(days=1)


def instructor_data(name, day):
    return {
        "name": name,
        "role": "Træner",
        "school_experience": "",
        "child_certificate_confirmed": "on",
        "child_certificate_date": day.isoformat(),
    }


@pytest.fixture
def hidden_offer(association, municipality):
    """An approved offer whose only instructor's certificate has run out."""
    offer = f.OfferFactory(
        association=association, published=True, with_instructor=False, title="Kajak i havnen"
    )
    offer.instructors.add(
        f.InstructorFactory(
            association=association, name="Ole Olsen", child_certificate_date=too_old(municipality)
        )
    )
    services.refresh_certificate_validity(offer)
    return offer


# --- The instructor form -------------------------------------------------------------------


def test_saving_an_old_certificate_saves_and_warns_on_the_form(
    client, association_member, association, municipality, published_offer
):
    instructor = published_offer.instructors.get()
    client.force_login(association_member)
    url = reverse("associations:instructor_edit", args=[association.slug, instructor.pk])
    response = client.post(url, instructor_data("Ole Olsen", too_old(municipality)), follow=True)
    # Saved all the same...
    instructor.refresh_from_db()
    assert instructor.child_certificate_date == too_old(municipality)
    # ...and the form is shown again, saying what it means.
    assert response.redirect_chain == [(url, 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    page = response.content.decode()
    assert 'id="certificate-expired"' in page
    assert "ældre end kommunen tillader" in page
    assert published_offer.title in page  # the offer schools no longer see
    assert not Offer.objects.published().exists()


def test_a_new_instructor_with_an_old_certificate_is_saved_with_a_warning(
    client, association_member, association, municipality
):
    client.force_login(association_member)
    response = client.post(
        reverse("associations:instructor_create", args=[association.slug]),
        instructor_data("Anna", too_old(municipality)),
        follow=True,
    )
    instructor = association.instructors.get()
    assert response.redirect_chain[-1][0] == reverse(
        "associations:instructor_edit", args=[association.slug, instructor.pk]
    )
    assert 'id="certificate-expired"' in response.content.decode()


def test_a_valid_certificate_gives_no_warning(client, association_member, association):
    client.force_login(association_member)
    response = client.post(
        reverse("associations:instructor_create", args=[association.slug]),
        instructor_data("Anna", timezone.localdate() - timedelta(days=30)),
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert 'id="certificate-expired"' not in response.content.decode()


def test_the_warning_follows_the_municipalitys_limit(client, association_member, association):
    instructor = f.InstructorFactory(
        association=association, child_certificate_date=timezone.localdate() - timedelta(days=200)
    )
    client.force_login(association_member)
    url = reverse("associations:instructor_edit", args=[association.slug, instructor.pk])
    assert 'id="certificate-expired"' not in client.get(url).content.decode()
    municipality = association.municipalities.get()
    municipality.child_certificate_max_age_months = 6
    municipality.save()
    assert 'id="certificate-expired"' in client.get(url).content.decode()


def test_another_associations_member_cannot_open_the_form(
    client, other_association_admin, association, instructor
):
    client.force_login(other_association_admin)
    url = reverse("associations:instructor_edit", args=[association.slug, instructor.pk])
    assert client.get(url).status_code == 404


# --- Submitting ---------------------------------------------------------------------------


def test_an_offer_with_an_old_certificate_cannot_be_submitted(
    client, association_member, association, municipality
):
    offer = f.OfferFactory(association=association)
    offer.instructors.add(
        f.InstructorFactory(
            association=association, name="Ole Olsen", child_certificate_date=too_old(municipality)
        ),
        f.InstructorFactory(association=association, name="Anna Berg"),
    )
    client.force_login(association_member)
    response = client.post(
        reverse("associations:offer_action", args=[association.slug, offer.pk, "submit"]),
        follow=True,
    )
    offer.refresh_from_db()
    assert offer.state == S.DRAFT
    [message] = response.context["messages"]
    assert message.level_tag == "error"
    assert "Ole Olsen" in str(message) and "Anna Berg" not in str(message)
    assert "børneattest" in str(message)


def test_submit_names_every_instructor_with_an_old_certificate(association, municipality):
    offer = f.OfferFactory(association=association)
    for name in ("Ole", "Bo"):
        offer.instructors.add(
            f.InstructorFactory(
                association=association, name=name, child_certificate_date=too_old(municipality)
            )
        )
    with pytest.raises(TransitionNotAllowed, match="Bo og Ole"):
        services.submit(offer, by=None)


def test_an_offer_expired_for_certificates_is_resubmitted_once_they_are_renewed(
    client, association_member, association, hidden_offer
):
    association_tasks.check_child_certificates()
    hidden_offer.refresh_from_db()
    assert hidden_offer.state == S.EXPIRED
    with pytest.raises(TransitionNotAllowed, match="Ole Olsen"):
        services.submit(hidden_offer, by=association_member)
    instructor = hidden_offer.instructors.get()
    client.force_login(association_member)
    client.post(
        reverse("associations:instructor_edit", args=[association.slug, instructor.pk]),
        instructor_data("Ole Olsen", timezone.localdate()),
    )
    assert services.submit(hidden_offer, by=association_member).state == S.SUBMITTED


def test_an_edit_of_an_approved_offer_is_checked_too(association_member, association, hidden_offer):
    edit = services.editable_version(hidden_offer, by=association_member)
    assert edit.is_revision and list(edit.instructors.all()) == list(hidden_offer.instructors.all())
    with pytest.raises(TransitionNotAllowed, match="Ole Olsen"):
        services.submit(hidden_offer, by=association_member)
    edit.refresh_from_db()
    assert edit.state == S.DRAFT


# --- "My association" ---------------------------------------------------------------------


def _offer_item(page: str, title: str) -> str:
    """The list item of one offer on "My association"."""
    start = page.index(f">{title}</a>")
    return page[start : page.index("</li>", start)]


@pytest.mark.parametrize("after_the_nightly_check", [False, True])
def test_my_association_says_why_the_offer_is_hidden_with_the_fix_one_click_away(
    client, association_member, association, hidden_offer, after_the_nightly_check
):
    if after_the_nightly_check:
        association_tasks.check_child_certificates()
    instructor = hidden_offer.instructors.get()
    client.force_login(association_member)
    page = client.get(reverse("associations:detail", args=[association.slug])).content.decode()
    item = _offer_item(page, hidden_offer.title)
    assert "Skjult for skoler: børneattesten er udløbet for Ole Olsen." in item
    fix = reverse("associations:instructor_edit", args=[association.slug, instructor.pk])
    assert f'href="{fix}"' in item
    assert "Godkendt" not in item
    if after_the_nightly_check:
        assert "Udløbet" in item and "indsend tilbuddet til screening igen" in item
    # The instructors' table marks the certificate too.
    assert "For gammel" in page[page.index('id="instructors"') :]


def test_a_visible_offer_has_no_such_notice(
    client, association_member, association, published_offer
):
    client.force_login(association_member)
    page = client.get(reverse("associations:detail", args=[association.slug])).content.decode()
    item = _offer_item(page, published_offer.title)
    assert "Godkendt" in item and "Skjult for skoler" not in item


def test_renewing_the_certificate_brings_an_approved_offer_back(
    client, association_member, association, hidden_offer
):
    instructor = hidden_offer.instructors.get()
    client.force_login(association_member)
    client.post(
        reverse("associations:instructor_edit", args=[association.slug, instructor.pk]),
        instructor_data("Ole Olsen", timezone.localdate()),
    )
    assert Offer.objects.published().get() == hidden_offer
    page = client.get(reverse("associations:detail", args=[association.slug])).content.decode()
    assert "Skjult for skoler" not in page


def test_hidden_by_certificates_rule_is_one_in_the_queryset_and_the_model(
    association, hidden_offer, published_offer
):
    draft = f.OfferFactory(association=association, certificates_valid_until="2020-01-01")
    assert list(Offer.objects.hidden_by_certificates()) == [hidden_offer]
    assert hidden_offer.is_hidden_by_certificates()
    assert not published_offer.is_hidden_by_certificates()
    assert not draft.is_hidden_by_certificates()
