import pytest

from tests import factories as f
from tests.e2e.conftest import _playwright, axe_page, base_url, browser, page  # noqa: F401


@pytest.fixture
def make_offer(association):
    """A published offer of ``association`` (or another), with overrides."""

    def make(**kwargs):
        kwargs.setdefault("association", association)
        kwargs.setdefault("published", True)
        return f.OfferFactory(**kwargs)

    return make
