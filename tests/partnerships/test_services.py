"""The partnership's state moves only along the allowed transitions; the database refuses a
partnership with two partners or none, or a period that ends before it starts."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partnerships import services
from partnerships.models import Partnership

from .conftest import make_partnership

pytestmark = pytest.mark.django_db


def test_proposed_active_ended(partnership, consultant):
    services.transition(partnership, "activate", by=consultant)
    assert Partnership.objects.get().state == "active"
    with pytest.raises(ValidationError):
        services.transition(partnership, "activate", by=consultant)
    services.transition(partnership, "end", by=consultant)
    assert partnership.state == "ended"
    with pytest.raises(ValidationError):
        services.transition(partnership, "activate", by=consultant)
    with pytest.raises(ValidationError):
        services.transition(partnership, "reopen", by=consultant)
    assert [e.to_state for e in services.audit_trail(partnership)] == ["active", "ended"]


def test_a_proposal_may_end_without_starting(partnership):
    assert services.allowed_actions(partnership) == ["activate", "end"]
    services.transition(partnership, "end")
    assert services.allowed_actions(partnership) == []


def test_database_refuses_two_partners(municipality, consultant, association, club):
    with pytest.raises(IntegrityError):
        make_partnership(municipality, consultant, association=association, institution=club)


def test_database_refuses_no_partner(municipality, consultant):
    with pytest.raises(IntegrityError):
        make_partnership(municipality, consultant)


def test_database_refuses_a_backwards_period(municipality, consultant, club):
    with pytest.raises(IntegrityError):
        make_partnership(
            municipality,
            consultant,
            institution=club,
            starts_on=date(2027, 1, 1),
            ends_on=date(2026, 1, 1),
        )
