import pytest
from django.core.cache import cache

from tests import factories as f
from tests.e2e.conftest import _playwright, axe_page, base_url, browser, page  # noqa: F401 - browser tests


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stranger(db):
    """Logged in, confirmed, but a member of nothing."""
    return f.UserFactory()


@pytest.fixture
def draft_offer(association):
    return f.OfferFactory(association=association)


@pytest.fixture
def instructor(association):
    return f.InstructorFactory(association=association)


@pytest.fixture
def other_instructor(other_association):
    return f.InstructorFactory(association=other_association)
