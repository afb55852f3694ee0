"""A hand-built data set with known counts for the school year 2025/26 (and 2024/25 before it).

Helsingør (``municipality``):
- Skole A: confirmed 10.09.2025 (grade 2, 20 pupils, sport), completed 05.10.2025 (grade 5,
  25 pupils, culture), cancelled 12.11.2025 (grade 1, 15 pupils);
- Skole B: completed 20.10.2025 (grade 8, 22 pupils, sport), declined 03.11.2025 (18 pupils),
  requested 02.03.2026 (10 pupils);
- Skole C: completed 15.09.2024 (grade 3, 19 pupils): nothing in 2025/26.
So 2025/26 has 3 collaborations and 67 pupils; 2024/25 has 1 and 19.
Fredensborg (``other_municipality``) has one completed booking of 99 pupils in 2025/26 that
must never show up in Helsingør's numbers.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from associations.models import Offer
from screening.models import ScreeningEvent
from tests import factories as f
from tests.e2e.conftest import _playwright, axe_page, base_url, browser, page  # noqa: F401

from .factories import (
    BookingFactory,
    EvaluationFactory,
    SubsidyPoolFactory,
    WaitingListEntryFactory,
    local,
)

YEAR = 2025


@dataclass
class DataSet:
    school_a: object
    school_b: object
    school_c: object
    sport: object
    culture: object
    music: object
    waiting_offer: object
    sports_club: object
    choir: object


@pytest.fixture
def data(municipality, other_municipality):
    school_a = f.SchoolFactory(municipality=municipality, name="Skole A")
    school_b = f.SchoolFactory(municipality=municipality, name="Skole B")
    school_c = f.SchoolFactory(municipality=municipality, name="Skole C")
    sports_club = f.AssociationFactory(municipalities=[municipality], name="Idrætsforeningen")
    choir = f.AssociationFactory(municipalities=[municipality], name="Koret", domains=["music"])
    sport = f.OfferFactory(association=sports_club, published=True, domain="sport", title="Løb")
    culture = f.OfferFactory(
        association=sports_club, published=True, domain="culture", title="Dans"
    )
    music = f.OfferFactory(
        association=choir,
        published=True,
        domain="music",
        title="Sang",
        approval_expires_at=timezone.now() + timedelta(days=30),
    )
    Offer.objects.filter(pk=sport.pk).update(
        approval_expires_at=timezone.now() + timedelta(days=90)
    )
    waiting_offer = f.OfferFactory(
        association=choir,
        state="submitted",
        domain="music",
        title="Kor i klassen",
        submitted_at=timezone.now() - timedelta(days=10),
    )

    pool = SubsidyPoolFactory(
        municipality=municipality,
        school_year=YEAR,
        amount=Decimal("10000"),
        reserved=Decimal("500"),
        spent=Decimal("1200"),
    )
    BookingFactory(
        offer=sport, school=school_a, state="confirmed", starts_at=local(2025, 9, 10), grade=2,
        pupils=20, price_total=Decimal("1000"), subsidy_pool=pool,
        municipality_share=Decimal("500"), school_share=Decimal("500"),
    )  # fmt: skip
    b2 = BookingFactory(
        offer=culture, school=school_a, state="completed", starts_at=local(2025, 10, 5), grade=5,
        pupils=25,
    )  # fmt: skip
    b3 = BookingFactory(
        offer=sport, school=school_b, state="completed", starts_at=local(2025, 10, 20), grade=8,
        pupils=22, price_total=Decimal("2400.50"), subsidy_pool=pool,
        municipality_share=Decimal("1200.25"), school_share=Decimal("1200.25"),
    )  # fmt: skip
    BookingFactory(offer=sport, school=school_b, state="declined", starts_at=local(2025, 11, 3),
                   grade=4, pupils=18)  # fmt: skip
    BookingFactory(offer=culture, school=school_a, state="cancelled",
                   starts_at=local(2025, 11, 12), grade=1, pupils=15)  # fmt: skip
    BookingFactory(offer=sport, school=school_b, state="requested", starts_at=local(2026, 3, 2),
                   grade=6, pupils=10)  # fmt: skip
    BookingFactory(offer=sport, school=school_c, state="completed", starts_at=local(2024, 9, 15),
                   grade=3, pupils=19)  # fmt: skip

    EvaluationFactory(booking=b2, side="school", rating=4, comment="Rigtig god dag",
                      pupils_joined=3)  # fmt: skip
    EvaluationFactory(booking=b3, side="school", rating=5, pupils_joined=2)
    EvaluationFactory(booking=b3, side="association", rating=4)

    occasion = f.OccasionFactory(
        offer=sport, starts_at=local(2026, 2, 10), ends_at=local(2026, 2, 10, 12)
    )
    WaitingListEntryFactory(occasion=occasion, school=school_a, pupils=24, places=1)
    WaitingListEntryFactory(occasion=occasion, school=school_b, state="withdrawn")

    offer_type = ContentType.objects.get_for_model(Offer)
    for when, transition in [
        (local(2025, 9, 1), "approve"),
        (local(2025, 9, 2), "approve"),
        (local(2025, 9, 3), "request_changes"),
        (local(2025, 12, 1), "reject"),
        (local(2024, 9, 1), "approve"),
    ]:
        event = ScreeningEvent.objects.create(
            content_type=offer_type, object_id=sport.pk, transition=transition
        )
        ScreeningEvent.objects.filter(pk=event.pk).update(created_at=when)

    # The other municipality: must never be counted.
    other_school = f.SchoolFactory(municipality=other_municipality, name="Fremmed Skole")
    other_club = f.AssociationFactory(municipalities=[other_municipality], name="Fremmed Klub")
    other_offer = f.OfferFactory(association=other_club, published=True, domain="sport")
    other = BookingFactory(offer=other_offer, school=other_school, state="completed",
                           starts_at=local(2025, 9, 10), grade=2, pupils=99)  # fmt: skip
    EvaluationFactory(booking=other, side="school", rating=1, comment="Hemmelig kommentar")
    other_event = ScreeningEvent.objects.create(
        content_type=offer_type, object_id=other_offer.pk, transition="approve"
    )
    ScreeningEvent.objects.filter(pk=other_event.pk).update(created_at=local(2025, 9, 5))

    return DataSet(
        school_a, school_b, school_c, sport, culture, music, waiting_offer, sports_club, choir
    )
