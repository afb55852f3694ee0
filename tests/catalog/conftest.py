import pytest

from tests import factories as f


@pytest.fixture
def make_offer(association):
    """A published offer of ``association`` (or another), with overrides."""

    def make(**kwargs):
        kwargs.setdefault("association", association)
        kwargs.setdefault("published", True)
        return f.OfferFactory(**kwargs)

    return make
