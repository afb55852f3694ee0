"""Who changed an item or made a screening decision is shown by name in the admin, not as
Django's link to the user's admin page, which a consultant may not open (a dead end: 403)."""

import pytest
from django.urls import reverse

from screening import services
from screening.models import ScreeningEvent
from screening.workflow import Transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_consultant_reads_who_changed_an_offer_and_who_decided(client, municipality):
    consultant = f.ConsultantFactory(municipality=municipality).user
    association = f.AssociationFactory(municipalities=[municipality])
    member = f.AssociationMembershipFactory(association=association, role="admin").user
    offer = f.OfferFactory(association=association, state="submitted", updated_by=member)
    services.decide(offer, Transition.START_REVIEW, by=consultant)
    event = ScreeningEvent.objects.get(transition=Transition.START_REVIEW)
    offer.refresh_from_db()
    assert offer.updated_by is not None
    client.force_login(consultant)
    user_pages = reverse("admin:accounts_user_changelist")
    assert client.get(user_pages).status_code == 403  # why there may be no link
    for url, name in [
        (reverse("admin:associations_offer_change", args=[offer.pk]), str(offer.updated_by)),
        (reverse("admin:screening_screeningevent_change", args=[event.pk]), consultant.full_name),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert name in page, url
        assert user_pages not in page, url
