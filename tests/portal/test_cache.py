"""The Redis cache backend (production's) against a real Redis: REDIS_URL, as CI sets it."""

import os

import pytest
from django.core.cache.backends.locmem import LocMemCache

from portal import cache as portal_cache
from portal.cache import RedisCache

URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not URL, reason="needs Redis: set REDIS_URL (CI does)")


@pytest.fixture(params=[pytest.param("redis", marks=needs_redis), "locmem"])
def any_cache(request):
    """Production's backend and the one ``make run`` and local tests use."""
    if request.param == "locmem":
        yield LocMemCache(f"test-{os.getpid()}", {})
    else:
        yield from _redis()


@pytest.fixture
def redis_cache():
    yield from _redis()


def _redis():
    cache = RedisCache(URL, {"KEY_PREFIX": f"test-cache-{os.getpid()}"})
    yield cache
    cache.delete_many(["a", "n", "gone", "m", "hits"])


@needs_redis
def test_reads_and_writes_through_one_client(redis_cache):
    redis_cache.set("a", {"x": 1}, 30)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("n", 1, None)
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["a", "n", "gone"]) == {"a": {"x": 1}, "n": 2}
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client


@needs_redis
def test_a_missing_counter_cannot_be_incremented(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("gone")
    assert redis_cache.get("gone") is None  # and the failed increment did not create it


@needs_redis
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


def test_incr_many_bumps_what_exists_and_starts_what_is_missing(any_cache):
    any_cache.set("n", 5, 30)
    portal_cache.incr_many(any_cache, ["n", "m"], missing=100)
    assert any_cache.get_many(["n", "m"]) == {"n": 6, "m": 100}
    portal_cache.incr_many(any_cache, ["n", "m"], delta=2, missing=100)
    assert any_cache.get_many(["n", "m"]) == {"n": 8, "m": 102}


def test_count_starts_a_window_with_its_expiry(any_cache):
    assert [portal_cache.count(any_cache, "hits", 60) for _ in range(3)] == [1, 2, 3]
    if isinstance(any_cache, RedisCache):
        client = any_cache._cache.get_client()
        assert 0 < client.ttl(any_cache.make_key("hits")) <= 60
