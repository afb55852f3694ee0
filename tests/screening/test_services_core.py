import pytest

from associations.models import Offer
from screening import services
from screening.models import ScreeningEvent
from screening.workflow import (
    DONE_STATES,
    TRANSITIONS,
    AlreadyDone,
    S,
    Transition,
    TransitionNotAllowed,
)
from tests import factories as f


@pytest.mark.django_db
def test_submit_review_approve_records_each_step(association, association_admin, consultant):
    offer = f.OfferFactory(association=association)
    offer = services.transition(offer, Transition.SUBMIT, by=association_admin)
    offer = services.transition(offer, Transition.START_REVIEW, by=consultant)
    offer = services.transition(offer, Transition.APPROVE, by=consultant, message="Fint")
    assert offer.state == S.APPROVED
    assert offer.approval_expires_at > offer.approved_at
    steps = [(e.from_state, e.to_state, e.actor) for e in services.history(offer)]
    assert steps == [
        (S.DRAFT, S.SUBMITTED, association_admin),
        (S.SUBMITTED, S.IN_REVIEW, consultant),
        (S.IN_REVIEW, S.APPROVED, consultant),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Transition))
@pytest.mark.parametrize("state", list(S))
def test_every_transition_is_allowed_or_refused_by_the_table(association, action, state):
    offer = f.OfferFactory(association=association, state=state)
    sources, target = TRANSITIONS[action]
    if state in sources:
        assert services.transition(offer, action).state == target
    else:
        with pytest.raises(TransitionNotAllowed) as refusal:
            services.transition(offer, action)
        # Only the user's own action on an item it already moved is a repeat (AlreadyDone).
        done = state in DONE_STATES.get(action, ())
        assert isinstance(refusal.value, AlreadyDone) == done
        offer.refresh_from_db()
        assert offer.state == state
        assert not ScreeningEvent.objects.exists()


@pytest.mark.django_db
def test_edit_of_approved_offer_stays_hidden_until_approved(association, consultant):
    live = f.OfferFactory(association=association, published=True, title="Gammel titel")
    edit = services.start_revision(live)
    assert services.start_revision(live) == edit  # one edit at a time
    edit.title = "Ny titel"
    edit.save()
    assert list(Offer.objects.published()) == [live]
    assert ("title", "Gammel titel", "Ny titel") in [
        (name, old, new) for name, _label, old, new in services.changed_fields(edit)
    ]

    edit = services.transition(edit, Transition.SUBMIT)
    result = services.transition(edit, Transition.APPROVE, by=consultant)
    assert result.pk == live.pk
    live.refresh_from_db()
    assert live.title == "Ny titel" and live.state == S.APPROVED
    assert not Offer.objects.filter(revision_of=live).exists()
    assert live.instructors.count() == 1


@pytest.mark.django_db
def test_approving_an_edit_does_not_lift_a_suspension(association, consultant):
    live = f.OfferFactory(association=association, published=True, title="Gammel")
    edit = services.start_revision(live)
    edit.title = "Ny"
    edit.save()
    edit = services.transition(edit, Transition.SUBMIT)
    services.transition(live, Transition.SUSPEND, by=consultant, message="Klage")
    services.transition(edit, Transition.APPROVE, by=consultant)
    live.refresh_from_db()
    assert live.title == "Ny" and live.state == S.SUSPENDED
    assert not Offer.objects.published().filter(pk=live.pk).exists()
