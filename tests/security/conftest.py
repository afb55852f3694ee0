import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and axes' state must not leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    from tests.security.world import build_world

    return build_world()
