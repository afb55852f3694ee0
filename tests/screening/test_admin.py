"""The consultant's queue in the admin: scoping, ordering, filters, decisions, diff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from associations.models import Offer
from screening import services
from screening.models import ScreeningEvent
from screening.workflow import S, Transition
from tests import factories as f

from .conftest import passed_checklist

pytestmark = pytest.mark.django_db

OFFERS = "/admin/associations/offer/"
ASSOCIATIONS = "/admin/associations/association/"


def titles(response):
    return [str(o) for o in response.context["cl"].result_list]


def test_queue_shows_oldest_waiting_first(consultant_client, association):
    now = timezone.now()
    young = f.OfferFactory(association=association, state=S.SUBMITTED, title="Ung")
    old = f.OfferFactory(association=association, state=S.IN_REVIEW, title="Gammel")
    done = f.OfferFactory(association=association, published=True, title="Godkendt")
    Offer.objects.filter(pk=young.pk).update(submitted_at=now - timedelta(days=1))
    Offer.objects.filter(pk=old.pk).update(submitted_at=now - timedelta(days=20))
    Offer.objects.filter(pk=done.pk).update(submitted_at=now - timedelta(days=90))
    response = consultant_client.get(OFFERS)
    assert titles(response) == ["Gammel", "Ung", "Godkendt"]


def test_waiting_filter_and_kind_filter(consultant_client, association):
    now = timezone.now()
    old = f.OfferFactory(association=association, state=S.SUBMITTED, title="Gammel")
    Offer.objects.filter(pk=old.pk).update(submitted_at=now - timedelta(days=20))
    new = f.OfferFactory(association=association, state=S.SUBMITTED, title="Ny")
    Offer.objects.filter(pk=new.pk).update(submitted_at=now - timedelta(hours=2))
    live = f.OfferFactory(association=association, published=True, title="Live")
    edit = services.start_revision(live)
    assert titles(consultant_client.get(OFFERS + "?waiting=gt14")) == ["Gammel"]
    assert titles(consultant_client.get(OFFERS + "?waiting=lt3")) == ["Ny"]
    assert [
        o.pk for o in consultant_client.get(OFFERS + "?kind=edit").context["cl"].result_list
    ] == [edit.pk]


def test_domain_filters(consultant_client, association):
    f.OfferFactory(association=association, domain="music", title="Musik")
    f.OfferFactory(association=association, domain="sport", title="Fodbold")
    assert titles(consultant_client.get(OFFERS + "?domain=music")) == ["Musik"]
    f.AssociationFactory(
        municipalities=[association.municipalities.get()], domains=["music"], name="Kor"
    )
    assert titles(consultant_client.get(ASSOCIATIONS + "?domain=music")) == ["Kor"]


def test_admin_index_counts_waiting_items(consultant_client, association, foreign_offer):
    f.OfferFactory(association=association, state=S.SUBMITTED)
    f.OfferFactory(association=association, state=S.IN_REVIEW)
    f.OfferFactory(association=association, state=S.DRAFT)
    response = consultant_client.get("/admin/")
    assert response.status_code == 200
    assert services.waiting_counts(response.wsgi_request.user) == {
        "association": 0,
        "offer": 2,
        "actionplan": 0,
        "item": 0,  # the knowledge bank's proposed good examples
    }
    assert b'id="screening-waiting"' in response.content


def test_change_page_shows_preview_checklist_and_history(consultant_client, submitted_offer):
    response = consultant_client.get(f"{OFFERS}{submitted_offer.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="screening-preview"' in body and "Svømning for 3. klasse" in body
    assert 'id="screening-checklist"' in body
    assert f"{OFFERS}{submitted_offer.pk}/decide/approve/" in body
    assert f"{OFFERS}{submitted_offer.pk}/decide/reinstate/" not in body


def test_change_page_of_an_edit_shows_the_diff(consultant_client, association):
    live = f.OfferFactory(association=association, published=True, description="Før")
    edit = services.start_revision(live)
    edit.description = "Efter"
    edit.save()
    edit = services.transition(edit, Transition.SUBMIT)
    response = consultant_client.get(f"{OFFERS}{edit.pk}/change/")
    assert [(name, old, new) for name, _l, old, new in response.context["screening_diff"]] == [
        ("description", "Før", "Efter")
    ]
    assert 'id="screening-diff"' in response.content.decode()
    assert "<del>Før</del>" in response.content.decode()


def test_approve_button_approves_and_reports(consultant_client, submitted_offer):
    response = consultant_client.post(f"{OFFERS}{submitted_offer.pk}/decide/approve/", {})
    assert response.status_code == 302
    submitted_offer.refresh_from_db()
    assert submitted_offer.state == S.APPROVED


def test_the_approval_page_warns_while_the_checklist_is_open(
    consultant_client, submitted_offer, consultant
):
    url = f"{OFFERS}{submitted_offer.pk}/decide/approve/"
    warning = "Tjeklisten er endnu ikke bestået"
    assert warning in consultant_client.get(url).content.decode()
    passed_checklist(submitted_offer, consultant)
    assert services.checklist_passed(submitted_offer)
    assert warning not in consultant_client.get(url).content.decode()
    # Other decisions need no checklist.
    assert warning not in consultant_client.get(url.replace("approve", "reject")).content.decode()


def test_request_changes_form_requires_message(consultant_client, submitted_offer):
    url = f"{OFFERS}{submitted_offer.pk}/decide/request_changes/"
    response = consultant_client.post(url, {"message": ""})
    assert response.status_code == 200 and response.context["form"].errors
    submitted_offer.refresh_from_db()
    assert submitted_offer.state == S.SUBMITTED
    consultant_client.post(url, {"message": "Skriv mere om læringsmål"})
    submitted_offer.refresh_from_db()
    assert submitted_offer.state == S.CHANGES_REQUESTED


def test_reject_form_offers_only_our_municipalitys_reasons(
    consultant_client, submitted_offer, reason, other_municipality
):
    from screening.models import RejectionReason

    foreign = RejectionReason.objects.create(municipality=other_municipality, code="X", text="Y")
    url = f"{OFFERS}{submitted_offer.pk}/decide/reject/"
    response = consultant_client.get(url)
    offered = list(response.context["form"].fields["reason"].queryset)
    assert reason in offered and foreign not in offered
    assert {r.municipality_id for r in offered} == {reason.municipality_id}
    response = consultant_client.post(url, {"reason": foreign.pk})
    assert response.context["form"].errors
    consultant_client.post(url, {"reason": reason.pk, "message": ""})
    submitted_offer.refresh_from_db()
    assert submitted_offer.state == S.REJECTED


def test_invalid_transition_shows_a_clear_message(consultant_client, association):
    offer = f.OfferFactory(association=association, state=S.DRAFT)
    response = consultant_client.post(f"{OFFERS}{offer.pk}/decide/approve/", {}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("Kladde" in m or "Draft" in m for m in messages), messages
    offer.refresh_from_db()
    assert offer.state == S.DRAFT


def test_bulk_approve_skips_items_whose_checklist_has_not_passed(
    consultant_client, consultant, association
):
    ready = services.transition(f.OfferFactory(association=association), Transition.SUBMIT)
    passed_checklist(ready, consultant)
    not_ready = services.transition(f.OfferFactory(association=association), Transition.SUBMIT)
    response = consultant_client.post(
        OFFERS,
        {"action": "approve_selected", "_selected_action": [ready.pk, not_ready.pk]},
        follow=True,
    )
    ready.refresh_from_db()
    not_ready.refresh_from_db()
    assert (ready.state, not_ready.state) == (S.APPROVED, S.SUBMITTED)
    assert any(str(not_ready) in str(m) for m in response.context["messages"])


def test_suspend_and_reinstate_actions(consultant_client, published_offer):
    consultant_client.post(
        OFFERS, {"action": "suspend_selected", "_selected_action": [published_offer.pk]}
    )
    published_offer.refresh_from_db()
    assert published_offer.state == S.SUSPENDED
    consultant_client.post(
        OFFERS, {"action": "reinstate_selected", "_selected_action": [published_offer.pk]}
    )
    published_offer.refresh_from_db()
    assert published_offer.state == S.APPROVED


def test_reject_action_opens_the_form_for_one_item(consultant_client, submitted_offer):
    response = consultant_client.post(
        OFFERS, {"action": "reject_selected", "_selected_action": [submitted_offer.pk]}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{submitted_offer.pk}/decide/reject/")


def test_notes_from_the_change_page(consultant_client, submitted_offer):
    url = f"{OFFERS}{submitted_offer.pk}/note/"
    consultant_client.post(url, {"message": "Intern", "visibility": "internal"})
    consultant_client.post(url, {"message": "Til jer", "visibility": "association"})
    visible = services.history(submitted_offer).filter(transition="note")
    assert [e.message for e in visible] == ["Til jer"]
    assert ScreeningEvent.objects.filter(visibility="internal", message="Intern").exists()


def test_checklist_from_the_change_page(consultant_client, submitted_offer):
    consultant_client.post(
        f"{OFFERS}{submitted_offer.pk}/checklist/",
        {"dialogue_held": "on", "learning_goals_linked": "on"},
    )
    review = services.current_review(submitted_offer)
    assert review.dialogue_held and review.learning_goals_linked
    assert not review.practical_info_complete


def test_consultant_text_edit_is_recorded(consultant_client, submitted_offer):
    url = f"{OFFERS}{submitted_offer.pk}/change/"
    form = consultant_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"description": "Bedre tekst om læringsmål", "instructors": []})
    data = {k: v for k, v in data.items() if v is not None}
    data.update({"photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0})
    response = consultant_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    submitted_offer.refresh_from_db()
    assert submitted_offer.description == "Bedre tekst om læringsmål"
    assert submitted_offer.state == S.SUBMITTED
    event = services.history(submitted_offer).last()
    assert event.transition == "consultant_edit"
    assert [f["name"] for f in event.data["fields"]] == ["description"]


def test_consultant_cannot_change_state_or_association_in_the_form(
    consultant_client, submitted_offer
):
    form = consultant_client.get(f"{OFFERS}{submitted_offer.pk}/change/").context["adminform"].form
    assert "state" not in form.fields
    assert "association" not in form.fields
    assert "description" in form.fields


def test_screening_events_are_read_only_and_not_deletable(consultant_client, submitted_offer):
    event = ScreeningEvent.objects.get()
    response = consultant_client.get(f"/admin/screening/screeningevent/{event.pk}/change/")
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    response = consultant_client.post(
        f"/admin/screening/screeningevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    consultant_client.post(
        "/admin/screening/screeningevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert ScreeningEvent.objects.filter(pk=event.pk).exists()


def test_consultant_keeps_own_rejection_reasons(consultant_client, municipality, reason):
    response = consultant_client.post(
        "/admin/screening/rejectionreason/add/",
        {"code": "R2", "text": "For dyrt", "is_active": "on", "applies_to": "offers"},
    )
    assert response.status_code == 302
    from screening.models import RejectionReason

    assert RejectionReason.objects.get(code="R2").municipality == municipality
    response = consultant_client.post(
        "/admin/screening/rejectionreason/add/",
        {"code": "R1", "text": "Dublet", "applies_to": "all"},
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors
    # "a1" is "A1": one code, as the reject form shows it.
    response = consultant_client.post(
        "/admin/screening/rejectionreason/add/",
        {"code": " a1 ", "text": "Dublet med småt", "applies_to": "all"},
    )
    assert response.status_code == 200 and "code" in response.context["adminform"].form.errors
    consultant_client.post(
        "/admin/screening/rejectionreason/add/",
        {"code": "r3", "text": "Andet", "applies_to": "all"},
    )
    assert RejectionReason.objects.filter(code="R3").exists()


def test_school_membership_approve_action(consultant_client, consultant, school):
    pending = f.SchoolMembershipFactory(school=school, is_approved=False, approved_at=None)
    consultant_client.post(
        "/admin/schools/schoolmembership/",
        {"action": "approve_memberships", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.is_approved and pending.approved_by == consultant


def test_a_user_without_the_group_gets_nothing(client, submitted_offer):
    staff = f.UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(OFFERS).status_code == 403
    assert client.post(f"{OFFERS}{submitted_offer.pk}/decide/approve/").status_code in (403, 404)
    client.logout()
    assert client.get(OFFERS).status_code == 302  # to the admin log-in


def test_screening_queue_link_goes_to_the_admin(consultant_client, client, teacher):
    response = consultant_client.get("/screening/")
    assert response.status_code == 302 and response["Location"].startswith(OFFERS)
    client.force_login(teacher)
    assert client.get("/screening/").status_code == 404


def test_association_change_page_previews_profile_with_its_published_offers(
    consultant_client, association, published_offer
):
    response = consultant_client.get(f"{ASSOCIATIONS}{association.pk}/change/")
    assert response.status_code == 200
    preview = response.context["screening_preview"]
    assert association.description in preview
    assert published_offer.title in preview


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_decisions_are_told_in_plain_danish(consultant_client, submitted_offer):
    """Not "Godkend udført": the result, as a sentence."""
    response = consultant_client.post(
        f"{OFFERS}{submitted_offer.pk}/decide/approve/", {}, follow=True
    )
    assert _messages(response) == [f"»{submitted_offer}« er godkendt."]


def test_bulk_actions_count_in_singular_and_plural(consultant_client, association):
    offers = [f.OfferFactory(association=association, published=True) for _ in range(2)]
    one = consultant_client.post(
        OFFERS, {"action": "suspend_selected", "_selected_action": [offers[0].pk]}, follow=True
    )
    assert "1 indsendelse er suspenderet." in _messages(one)
    both = consultant_client.post(
        OFFERS,
        {"action": "reinstate_selected", "_selected_action": [o.pk for o in offers]},
        follow=True,
    )
    # Only the suspended one can be reinstated: one counted, the other skipped.
    assert "1 indsendelse er genindsat." in _messages(both)
    consultant_client.post(
        OFFERS, {"action": "suspend_selected", "_selected_action": [o.pk for o in offers]}
    )
    again = consultant_client.post(
        OFFERS,
        {"action": "reinstate_selected", "_selected_action": [o.pk for o in offers]},
        follow=True,
    )
    assert "2 indsendelser er genindsat." in _messages(again)


def test_the_queue_has_its_own_title(consultant_client, submitted_offer):
    html = consultant_client.get(OFFERS).content.decode()
    assert "<h1>Screeningkø: tilbud</h1>" in html
    assert "Vælg tilbud" not in html
    assert "css/admin.css" in html  # underlined breadcrumbs, larger filter links


def test_view_on_site_only_for_what_the_site_shows(
    consultant_client, submitted_offer, published_offer
):
    page = consultant_client.get(f"{OFFERS}{submitted_offer.pk}/change/").content.decode()
    assert 'class="viewsitelink"' not in page  # its page would answer 404
    page = consultant_client.get(f"{OFFERS}{published_offer.pk}/change/").content.decode()
    link = published_offer.get_absolute_url()
    assert f'href="{link}" class="viewsitelink"' in page
    assert consultant_client.get(link).status_code == 200
    association = published_offer.association
    page = consultant_client.get(f"{ASSOCIATIONS}{association.pk}/change/").content.decode()
    assert f'href="{association.get_absolute_url()}" class="viewsitelink"' in page


def test_a_decision_not_possible_in_the_state_shows_no_form(consultant_client, published_offer):
    url = f"{OFFERS}{published_offer.pk}/decide/reject/"
    page = consultant_client.get(url).content.decode()
    assert "Det er ikke muligt, mens status er" in page
    assert 'name="reason"' not in page and f'href="{OFFERS}{published_offer.pk}/change/"' in page
