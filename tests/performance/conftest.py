import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts and ends with an empty page cache (rendered pages, generation)."""
    cache.clear()
    yield
    cache.clear()
