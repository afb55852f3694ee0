"""A resubmission after "request changes": the association sees the request on the form it
edits, the consultant sees what changed against the version they asked to change."""

import pytest
from django.test import Client
from django.urls import reverse

from associations.models import Domain, Offer
from screening import services
from screening.workflow import S, Transition
from tests import factories as f
from tests.associations.test_offers import fill_offer, offer_data

pytestmark = pytest.mark.django_db

OFFERS = "/admin/associations/offer/"
REQUEST = "Skriv hvilke læringsmål tilbuddet støtter, og vælg det rigtige område."


@pytest.fixture
def member(association_member):
    client = Client()
    client.force_login(association_member)
    return client


@pytest.fixture
def instructor(association):
    return f.InstructorFactory(association=association)


def _create_and_submit(member, association, instructor) -> Offer:
    offer = fill_offer(member, association, offer_data(instructors=[instructor.pk]))
    assert offer == Offer.objects.get(title="Kajak for 5. klasse")
    member.post(reverse("associations:offer_action", args=[association.slug, offer.pk, "submit"]))
    offer.refresh_from_db()
    assert offer.state == S.SUBMITTED
    return offer


def _edit_url(offer):
    return reverse("associations:offer_edit", args=[offer.association.slug, offer.pk])


def test_the_request_is_on_the_form_until_the_association_resubmits(
    member, consultant_client, association, instructor
):
    offer = _create_and_submit(member, association, instructor)
    assert 'id="change-request"' not in member.get(_edit_url(offer)).content.decode()
    consultant_client.post(f"{OFFERS}{offer.pk}/decide/request_changes/", {"message": REQUEST})
    page = member.get(_edit_url(offer)).content.decode()
    assert 'id="change-request"' in page and "Skriv hvilke læringsmål" in page
    # Saving is not answering: the request stays on the form until the offer is resubmitted.
    data = offer_data(instructors=[instructor.pk], learning_goals="Idræt: samarbejde og tillid")
    assert member.post(_edit_url(offer), data).status_code == 302
    assert "Skriv hvilke læringsmål" in member.get(_edit_url(offer)).content.decode()
    member.post(reverse("associations:offer_action", args=[association.slug, offer.pk, "submit"]))
    assert 'id="change-request"' not in member.get(_edit_url(offer)).content.decode()
    # On "My association" the consultant's messages are no longer folded away while it edits.
    consultant_client.post(f"{OFFERS}{offer.pk}/decide/request_changes/", {"message": "Igen"})
    detail = member.get(reverse("associations:detail", args=[association.slug])).content.decode()
    assert '<details class="mt-2" open>' in detail


def test_the_consultant_sees_what_changed_since_the_request(
    member, consultant_client, association, instructor
):
    offer = _create_and_submit(member, association, instructor)
    consultant_client.post(f"{OFFERS}{offer.pk}/decide/request_changes/", {"message": REQUEST})
    data = offer_data(
        instructors=[instructor.pk], learning_goals="Idræt: samarbejde og tillid", domain="nature"
    )
    fill_offer(member, association, data, offer=offer)  # every step of the form, saved
    member.post(reverse("associations:offer_action", args=[association.slug, offer.pk, "submit"]))
    response = consultant_client.get(f"{OFFERS}{offer.pk}/change/")
    resubmission = response.context["screening_resubmission"]
    assert resubmission.request.message == REQUEST
    assert [(name, old, new) for name, _label, old, new in resubmission.changes] == [
        ("domain", str(Domain.SPORT.label), str(Domain.NATURE.label)),
        ("learning_goals", "Idræt: kropsbevidsthed", "Idræt: samarbejde og tillid"),
    ]
    body = response.content.decode()
    assert 'id="screening-resubmission"' in body
    assert "<ins>Idræt: samarbejde og tillid</ins>" in body
    # A first submission, or one after an approval, answers no request: no comparison.
    assert services.resubmission(_create_second(association, instructor)) is None


def _create_second(association, instructor):
    offer = f.OfferFactory(association=association, title="Andet")
    offer.instructors.add(instructor)
    return services.transition(offer, Transition.SUBMIT)


def test_an_unchanged_resubmission_says_so(consultant_client, consultant, submitted_offer):
    services.decide(submitted_offer, Transition.REQUEST_CHANGES, by=consultant, message="Mere")
    services.transition(submitted_offer, Transition.SUBMIT)
    body = consultant_client.get(f"{OFFERS}{submitted_offer.pk}/change/").content.decode()
    assert 'id="screening-resubmission"' in body and "Intet felt er ændret" in body


def test_an_edit_of_an_approved_offer_shows_both_comparisons(
    member, consultant_client, association, published_offer
):
    url = _edit_url(published_offer)
    instructors = [published_offer.instructors.get().pk]
    member.post(url, offer_data(instructors=instructors, title="Ny titel"))
    edit = published_offer.revisions.get()
    edit = services.transition(edit, Transition.SUBMIT)
    consultant_client.post(f"{OFFERS}{edit.pk}/decide/request_changes/", {"message": REQUEST})
    assert "Skriv hvilke læringsmål" in member.get(url).content.decode()
    member.post(url, offer_data(instructors=instructors, title="Endnu nyere titel"))
    member.post(
        reverse("associations:offer_action", args=[association.slug, published_offer.pk, "submit"])
    )
    response = consultant_client.get(f"{OFFERS}{edit.pk}/change/")
    since = response.context["screening_resubmission"].changes
    assert [(n, old, new) for n, _l, old, new in since] == [
        ("title", "Ny titel", "Endnu nyere titel")
    ]
    against_live = [n for n, *_rest in response.context["screening_diff"]]
    assert "title" in against_live
    # The live offer answers no request of its own.
    live = consultant_client.get(f"{OFFERS}{published_offer.pk}/change/")
    assert live.context["screening_resubmission"] is None


def test_another_municipalitys_consultant_sees_neither(
    member, client, other_consultant, consultant, association, instructor
):
    offer = _create_and_submit(member, association, instructor)
    services.decide(offer, Transition.REQUEST_CHANGES, by=consultant, message=REQUEST)
    client.force_login(other_consultant)
    response = client.get(f"{OFFERS}{offer.pk}/change/")
    assert response.status_code in (302, 404)
    assert REQUEST not in response.content.decode()
    # Nor does a member of another association see the request.
    outsider = f.AssociationMembershipFactory(association=f.AssociationFactory()).user
    client.force_login(outsider)
    assert client.get(_edit_url(offer)).status_code == 404


def test_an_association_profile_resubmission_is_compared_too(
    consultant_client, consultant, municipality, other_municipality
):
    association = f.AssociationFactory(municipalities=[municipality], state=S.SUBMITTED)
    association_member = f.AssociationMembershipFactory(association=association).user
    services.decide(association, Transition.REQUEST_CHANGES, by=consultant, message="Mere tekst")
    member = Client()
    member.force_login(association_member)
    page = member.get(reverse("associations:profile_edit", args=[association.slug]))
    assert "Mere tekst" in page.content.decode()
    association.refresh_from_db()
    association.description = "En længere beskrivelse"
    association.save()
    association.municipalities.add(other_municipality)
    association = services.transition(association, Transition.SUBMIT)
    response = consultant_client.get(f"/admin/associations/association/{association.pk}/change/")
    changes = response.context["screening_resubmission"].changes
    assert [name for name, *_rest in changes] == ["description", "municipalities"]
    assert other_municipality.name in changes[1][3]
    page = member.get(reverse("associations:profile_edit", args=[association.slug]))
    assert "Mere tekst" not in page.content.decode()
