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
    assert redis_cache.get("gone") is None  # and the failed increment did not create it


def test_incr_is_one_round_trip(redis_cache):
    redis_cache.set("n", 5, 30)
    redis_cache.incr("n", 0)  # the first call may have to load the script into Redis
    client = redis_cache._cache.get_client(write=True)
    calls = []
    original = client.execute_command

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    client.execute_command = counting
    try:
        assert redis_cache.incr("n", 3) == 8
        assert redis_cache.incr("n") == 9
    finally:
        del client.execute_command
    assert len(calls) == 2  # one EVALSHA each, no EXISTS before it
    assert redis_cache.get("n") == 9
