import pytest
from django.contrib.auth.models import Group

from screening import services
from screening.models import RejectionReason, Review
from screening.workflow import S, Transition
from tests import factories as f
from tests.e2e.conftest import _playwright, axe_page, base_url, browser  # noqa: F401 - browser tests


@pytest.fixture
def consultant_client(client, consultant):
    client.force_login(consultant)
    return client


@pytest.fixture
def submitted_offer(association):
    offer = f.OfferFactory(association=association, title="Svømning for 3. klasse")
    return services.transition(offer, Transition.SUBMIT)


@pytest.fixture
def foreign_association(other_municipality):
    """An association of the other municipality, with a waiting offer."""
    return f.AssociationFactory(
        municipalities=[other_municipality], name="Fremmed Forening", state=S.SUBMITTED
    )


@pytest.fixture
def foreign_offer(foreign_association):
    offer = f.OfferFactory(association=foreign_association, title="Fremmed tilbud")
    return services.transition(offer, Transition.SUBMIT)


@pytest.fixture
def reason(municipality):
    return RejectionReason.objects.create(
        municipality=municipality, code="R1", text="Passer ikke til skolen"
    )


@pytest.fixture
def consultant_group(db):
    return Group.objects.get(name="Consultant")


def passed_checklist(item, by):
    """Tick every box and give the item an instructor with a valid certificate."""
    instructor = f.InstructorFactory(association=item.screening_owner())
    if hasattr(item, "instructors"):
        item.instructors.add(instructor)
    services.save_checklist(item, by=by, checks=dict.fromkeys(Review.CHECKS, True))
