"""Decisions, e-mails, notes, consultant edits and the checklist (services)."""

import pytest
from django.core import mail
from django.utils import translation

from notifications.models import Notification
from screening import services
from screening.models import Review, ScreeningEvent
from screening.workflow import S, Transition
from tests import factories as f
from tests.outbox import written

from .conftest import passed_checklist

pytestmark = pytest.mark.django_db


def test_request_changes_needs_a_message(submitted_offer, consultant):
    with pytest.raises(services.DecisionError):
        services.decide(submitted_offer, Transition.REQUEST_CHANGES, by=consultant, message="  ")
    submitted_offer.refresh_from_db()
    assert submitted_offer.state == S.SUBMITTED


def test_reject_needs_a_reason_and_records_it(submitted_offer, consultant, reason):
    with pytest.raises(services.DecisionError):
        services.decide(submitted_offer, Transition.REJECT, by=consultant, message="Nej")
    offer = services.decide(
        submitted_offer, Transition.REJECT, by=consultant, reason=reason, message="Se mail"
    )
    assert offer.state == S.REJECTED
    event = services.history(offer).last()
    assert event.data == {"reason_code": "R1", "reason_text": "Passer ikke til skolen"}
    assert event.message == "Se mail"


def test_association_actions_are_not_consultant_decisions(submitted_offer, consultant):
    with pytest.raises(services.DecisionError):
        services.decide(submitted_offer, Transition.WITHDRAW, by=consultant)


def test_each_decision_is_emailed_to_the_association_contact(
    submitted_offer, association, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            submitted_offer, Transition.REQUEST_CHANGES, by=consultant, message="Tilføj pris"
        )
    notification = Notification.objects.get(kind="screening.changes_requested")
    assert notification.to_email == association.contact_email
    assert "Tilføj pris" in notification.body_text
    assert "/association/" in notification.body_text
    assert "/association/" in notification.body_html
    assert [m.to for m in mail.outbox] == [[association.contact_email]]


def test_approval_email_and_start_review_sends_none(submitted_offer, association, consultant):
    to_association = Notification.objects.filter(to_email=association.contact_email)
    offer = services.decide(submitted_offer, Transition.START_REVIEW, by=consultant)
    assert not to_association.exists()
    services.decide(offer, Transition.APPROVE, by=consultant)
    assert to_association.get().kind == "screening.approved"


def test_message_to_association_is_visible_and_mailed(submitted_offer, consultant):
    services.add_note(submitted_offer, "Ring til mig", by=consultant, internal=False)
    assert [e.message for e in services.history(submitted_offer)][-1] == "Ring til mig"
    assert Notification.objects.filter(kind="screening.message").count() == 1


def test_internal_note_is_never_visible_to_the_association(
    submitted_offer, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_note(submitted_offer, "Kendt for rod", by=consultant, internal=True)
    assert "Kendt for rod" not in [e.message for e in services.history(submitted_offer)]
    assert "Kendt for rod" in [
        e.message for e in services.history(submitted_offer, include_internal=True)
    ]
    assert not Notification.objects.filter(context__message="Kendt for rod").exists()
    assert not [m for m in mail.outbox if "Kendt for rod" in m.body]
    assert ScreeningEvent.objects.get(message="Kendt for rod").visibility == "internal"


def test_empty_note_is_refused(submitted_offer, consultant):
    with pytest.raises(services.DecisionError):
        services.add_note(submitted_offer, " ", by=consultant, internal=True)


def test_consultant_edit_is_recorded_for_the_association(submitted_offer, consultant):
    services.record_edit(
        submitted_offer, [("description", "Beskrivelse", "gammel", "ny")], by=consultant
    )
    event = services.history(submitted_offer).last()
    assert event.transition == "consultant_edit" and event.actor == consultant
    assert "Beskrivelse" in event.message  # shown on "My association" with the other messages
    assert event.data["fields"] == [
        {"name": "description", "label": "Beskrivelse", "old": "gammel", "new": "ny"}
    ]


def test_checklist_passes_only_with_all_boxes_and_valid_certificates(submitted_offer, consultant):
    assert not services.checklist_passed(submitted_offer)
    checks = dict.fromkeys(Review.CHECKS, True)
    services.save_checklist(
        submitted_offer, by=consultant, checks={**checks, "dialogue_held": False}
    )
    assert not services.checklist_passed(submitted_offer)
    services.save_checklist(submitted_offer, by=consultant, checks=checks)
    assert not services.checklist_passed(submitted_offer)  # still no instructor
    passed_checklist(submitted_offer, consultant)
    assert services.checklist_passed(submitted_offer)
    assert Review.objects.count() == 1


def test_decision_closes_the_review_and_next_round_opens_a_new_one(submitted_offer, consultant):
    passed_checklist(submitted_offer, consultant)
    offer = services.decide(
        submitted_offer, Transition.REQUEST_CHANGES, by=consultant, message="Ret"
    )
    review = Review.objects.get()
    assert review.closed_at is not None and review.decision == Transition.REQUEST_CHANGES
    offer = services.transition(offer, Transition.SUBMIT)
    assert services.current_review(offer) is None
    assert not services.checklist_passed(offer)


def test_submission_is_mailed_to_consultants_who_want_each(
    association, consultant, other_consultant
):
    from municipalities.models import Consultant

    daily = f.ConsultantFactory(
        municipality=consultant.consultant.municipality,
        submission_emails=Consultant.DigestChoice.DAILY,
    )
    offer = services.transition(f.OfferFactory(association=association), Transition.SUBMIT)
    sent = Notification.objects.filter(kind="screening.submitted")
    assert [n.to_email for n in sent] == [consultant.email]
    assert f"/admin/associations/offer/{offer.pk}/change/" in written(sent.get()).body_text
    assert daily.user.email not in [n.to_email for n in Notification.objects.all()]


@pytest.mark.parametrize(
    ("action", "subject_start"),
    [
        (Transition.APPROVE, "Godkendt"),
        (Transition.REJECT, "Afvist"),
        (Transition.SUSPEND, "Suspenderet"),
        (Transition.REINSTATE, "Genindsat"),
    ],
)
def test_decision_emails_are_in_danish_per_decision(
    association, consultant, reason, action, subject_start
):
    state = S.SUSPENDED if action == Transition.REINSTATE else S.APPROVED
    if action in (Transition.APPROVE, Transition.REJECT):
        state = S.IN_REVIEW
    offer = f.OfferFactory(association=association, state=state, title="Kajak")
    services.decide(
        offer, action, by=consultant, reason=reason if action == Transition.REJECT else None
    )
    notification = written(Notification.objects.get(to_email=association.contact_email))
    assert notification.subject == f"{subject_start}: Kajak"
    assert "/association/" in notification.body_text


def test_a_decision_is_written_in_the_recipients_language(association, consultant):
    """The consultant decides in Danish; the association's contact reads English, and the
    item's kind ("offer") is looked up when the e-mail is written."""
    f.UserFactory(email=association.contact_email, language="en")
    offer = f.OfferFactory(association=association, state=S.IN_REVIEW, title="Kajak")
    with translation.override("da"):
        services.decide(offer, Transition.APPROVE, by=consultant)
    notification = written(Notification.objects.get(to_email=association.contact_email))
    assert notification.subject == "Approved: Kajak"
    assert "approved “Kajak” (offer)" in notification.body_text
