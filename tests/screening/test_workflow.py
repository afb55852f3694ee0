"""The state machine in use: revisions of approved items, the audit record, refusals."""

import pytest

from associations.models import Association, Offer
from screening import services
from screening.models import ScreeningEvent
from screening.workflow import TRANSITIONS, S, Transition, TransitionNotAllowed, allowed_transitions
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_refusal_names_the_action_and_the_state(association):
    offer = f.OfferFactory(association=association, state=S.DRAFT)
    with pytest.raises(TransitionNotAllowed) as error:
        services.transition(offer, Transition.APPROVE)
    assert "Godkend" in str(error.value) or "Approve" in str(error.value)
    assert "Kladde" in str(error.value) or "Draft" in str(error.value)


def test_audit_record_holds_who_when_from_to_and_message(association, consultant):
    offer = f.OfferFactory(association=association, state=S.SUBMITTED)
    services.transition(offer, Transition.REQUEST_CHANGES, by=consultant, message="Tilføj pris")
    event = ScreeningEvent.objects.get()
    assert (event.actor, event.from_state, event.to_state, event.transition, event.message) == (
        consultant,
        S.SUBMITTED,
        S.CHANGES_REQUESTED,
        Transition.REQUEST_CHANGES,
        "Tilføj pris",
    )
    assert event.created_at is not None
    assert event.visibility == ScreeningEvent.Visibility.ASSOCIATION


def test_full_round_with_changes_requested_and_resubmission(association, consultant):
    offer = services.transition(f.OfferFactory(association=association), Transition.SUBMIT)
    offer = services.decide(offer, Transition.START_REVIEW, by=consultant)
    offer = services.decide(offer, Transition.REQUEST_CHANGES, by=consultant, message="Mere tekst")
    assert offer.state == S.CHANGES_REQUESTED
    offer = services.transition(offer, Transition.SUBMIT)
    offer = services.decide(offer, Transition.APPROVE, by=consultant)
    offer = services.decide(offer, Transition.SUSPEND, by=consultant, message="Klage")
    assert offer.state == S.SUSPENDED
    offer = services.decide(offer, Transition.REINSTATE, by=consultant)
    assert offer.state == S.APPROVED
    assert [e.to_state for e in services.history(offer)] == [
        S.SUBMITTED,
        S.IN_REVIEW,
        S.CHANGES_REQUESTED,
        S.SUBMITTED,
        S.APPROVED,
        S.SUSPENDED,
        S.APPROVED,
    ]


def test_start_revision_is_refused_for_an_item_not_approved(association):
    offer = f.OfferFactory(association=association, state=S.SUBMITTED)
    with pytest.raises(TransitionNotAllowed):
        services.start_revision(offer)
    assert not Offer.objects.filter(revision_of=offer).exists()


def test_revision_changes_requested_keeps_live_version(association, consultant):
    live = f.OfferFactory(association=association, published=True, description="Gammel")
    edit = services.start_revision(live)
    edit.description = "Ny"
    edit.save()
    edit = services.transition(edit, Transition.SUBMIT)
    edit = services.decide(edit, Transition.REQUEST_CHANGES, by=consultant, message="Næsten")
    live.refresh_from_db()
    assert (live.state, live.description) == (S.APPROVED, "Gammel")
    assert edit.state == S.CHANGES_REQUESTED and edit.revision_of == live
    # The events of the edit are on the live item's history, marked with the edit's id.
    assert services.history(live).filter(revision_id=edit.pk).count() == 3


def test_rejected_revision_leaves_live_untouched(association, consultant, reason):
    live = f.OfferFactory(association=association, published=True, title="Live")
    edit = services.start_revision(live)
    edit.title = "Forkert"
    edit.save()
    edit = services.transition(edit, Transition.SUBMIT)
    services.decide(edit, Transition.REJECT, by=consultant, reason=reason)
    live.refresh_from_db()
    assert live.title == "Live" and live.state == S.APPROVED
    assert list(Offer.objects.published()) == [live]


def test_association_profile_revision_is_applied_on_approval(association, consultant):
    edit = services.start_revision(association)
    edit.description = "Ny beskrivelse"
    edit.save()
    assert [c[0] for c in services.changed_fields(edit)] == ["description"]
    edit = services.transition(edit, Transition.SUBMIT)
    live = services.decide(edit, Transition.APPROVE, by=consultant)
    assert live.pk == association.pk
    assert Association.objects.get(pk=association.pk).description == "Ny beskrivelse"
    assert not Association.objects.filter(revision_of=association).exists()


@pytest.mark.parametrize("state", list(S))
def test_consultant_actions_offered_match_the_table(state):
    allowed = allowed_transitions(state)
    for action in services.CONSULTANT_ACTIONS:
        assert (action in allowed) == (state in TRANSITIONS[action][0])
