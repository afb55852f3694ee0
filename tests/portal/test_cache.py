"""The cache backend: django-redis as it comes (production's), against a real Redis
(REDIS_URL, as CI sets it), and the rate limit's counter on any backend."""

import os
import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.core.cache.backends.locmem import LocMemCache

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
    from django_redis.cache import RedisCache

    cache = RedisCache(URL, {"KEY_PREFIX": f"test-cache-{os.getpid()}"})
    yield cache
    cache.delete_many(["a", "n", "gone", "m", "hits"])


@needs_redis
def test_the_settings_use_django_redis_as_it_is():
    from portal.settings import base  # the tests' own settings keep the cache in memory

    assert base.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"


@needs_redis
def test_reads_and_writes_through_one_client(redis_cache):
    from django_redis.cache import RedisCache

    assert type(redis_cache) is RedisCache  # no subclass of ours
    redis_cache.set("a", {"x": 1}, 30)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("n", 1, None)
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["a", "n", "gone"]) == {"a": {"x": 1}, "n": 2}
    assert redis_cache.client.get_client() is redis_cache.client.get_client(write=False)


@needs_redis
def test_a_missing_counter_cannot_be_incremented(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("gone")
    assert redis_cache.get("gone") is None  # and the failed increment did not create it


@needs_redis
def test_incr_is_one_round_trip(redis_cache):
    redis_cache.set("n", 5, 30)
    client = redis_cache.client.get_client()
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
    assert len(calls) == 2  # one EVAL each, no EXISTS before it
    assert redis_cache.get("n") == 9


def test_a_rate_limit_counts_a_window_with_its_expiry(any_cache, monkeypatch, steady_clock):
    from portal import ratelimit

    monkeypatch.setattr(ratelimit, "cache", any_cache)
    assert [ratelimit.hit("hits", "me", "3/m") for _ in range(4)] == [True, True, True, False]
    with warnings.catch_warnings():  # a key with a space or of any length is still valid
        warnings.simplefilter("error", CacheKeyWarning)
        assert ratelimit.hit("hits", "someone else", "3/m")
        assert ratelimit.hit("hits", "x" * 300, "3/m")
    if not isinstance(any_cache, LocMemCache):
        key = next(k for k in any_cache.keys("rl:hits:me:*"))  # django-redis's own API
        assert 0 < any_cache.ttl(key) <= 65
        any_cache.delete_many(list(any_cache.keys("rl:hits:*")))
