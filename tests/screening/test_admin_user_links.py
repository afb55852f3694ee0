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


def test_the_consultant_reads_who_proposed_reported_and_signed_up(client, municipality):
    """The good example's proposer, the yearly figures' reporter and a network sign-up's
    person: names too, on pages the consultant opens."""
    from datetime import timedelta

    from django.utils import timezone

    from knowledge import services as knowledge_services
    from partnerships import services as partnership_services
    from partnerships.models import YearlyFigures
    from partnerships.network import services as network_services
    from tests.partnerships.conftest import make_partnership
    from tests.partnerships.network_helpers import make_event

    consultant = f.ConsultantFactory(municipality=municipality).user
    association = f.AssociationFactory(municipalities=[municipality])
    member = f.AssociationMembershipFactory(association=association, role="admin").user
    partnership = make_partnership(municipality, consultant, association=association)
    partnership = partnership_services.transition(partnership, "activate", by=consultant)
    item = knowledge_services.propose_from_partnership(partnership, by=member)
    figures = YearlyFigures.objects.create(
        partnership=partnership,
        year=2026,
        members_under_18=1,
        members_under_25=2,
        volunteers=1,
        reported_by=member,
    )
    starts = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    event = make_event(municipality, audience="open", starts_at=starts + timedelta(days=20))
    network_services.register(event, association, user=member, participants=2)
    client.force_login(consultant)
    user_pages = reverse("admin:accounts_user_changelist")
    for url in [
        reverse("admin:knowledge_item_change", args=[item.pk]),
        reverse("admin:partnerships_yearlyfigures_change", args=[figures.pk]),
        reverse("admin:partnerships_networkevent_change", args=[event.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert member.full_name in page, url
        assert user_pages not in page, url
