"""The Redis cache backend (production's) against a real Redis: REDIS_URL, as CI sets it."""

import os

import pytest

from portal.cache import RedisCache

URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="needs Redis: set REDIS_URL (CI does)")


@pytest.fixture
def redis_cache():
    cache = RedisCache(URL, {"KEY_PREFIX": f"test-cache-{os.getpid()}"})
    yield cache
    cache.delete_many(["a", "n", "gone"])


def test_reads_and_writes_through_one_client(redis_cache):
    redis_cache.set("a", {"x": 1}, 30)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("n", 1, None)
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["a", "n", "gone"]) == {"a": {"x": 1}, "n": 2}
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client


def test_a_missing_counter_cannot_be_incremented(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("gone")
