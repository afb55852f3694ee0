from datetime import date

import pytest

from partnerships.models import LeisureInstitution, Partnership
from tests import factories as f
from tests.e2e.conftest import _playwright, axe_page, base_url, browser  # noqa: F401 - browser tests


def make_partnership(municipality, contact, **fields):
    schools = fields.pop("schools", [])
    fields.setdefault("starts_on", date(2026, 1, 1))
    fields.setdefault("ends_on", date(2028, 12, 31))
    fields.setdefault("resource_name", "Sara Ressource")
    fields.setdefault("resource_email", "sara@example.org")
    partnership = Partnership.objects.create(municipality=municipality, contact=contact, **fields)
    partnership.schools.set(schools)
    return partnership


@pytest.fixture
def club(municipality):
    return LeisureInstitution.objects.create(
        municipality=municipality, name="Klub Nord", kind=LeisureInstitution.Kind.CLUB
    )


@pytest.fixture
def partnership(municipality, consultant, association, school):
    return make_partnership(municipality, consultant, association=association, schools=[school])


@pytest.fixture
def foreign_partnership(other_municipality, other_consultant):
    association = f.AssociationFactory(municipalities=[other_municipality], name="Fremmed IF")
    return make_partnership(other_municipality, other_consultant, association=association)
