"""Django's Redis cache backend, reusing its client objects.

``django.core.cache.backends.redis`` builds a new ``redis.Redis`` object for every cache
call, and each one copies the library's ~170 response callbacks: a tenth of a millisecond
per call, and a signed-in request makes about ten (session, roles, generations, rate
limits). A ``redis.Redis`` object is thread-safe and holds no connection of its own (the
pool does), so one per pool is enough.

``incr`` is one atomic round trip (a short Lua script) instead of Django's ``EXISTS`` then
``INCRBY``: rate limits and cache generations increment on every write.
"""

from __future__ import annotations

import functools
import zlib

from django.apps import apps
from django.core.cache.backends import redis as django_redis

#: INCRBY only when the key exists; nil otherwise (Django's incr raises ValueError then).
INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


#: INCRBY every key that exists; a missing one is set to ARGV[2] (with no expiry).
INCR_MANY = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    redis.call('INCRBY', key, ARGV[1])
  else
    redis.call('SET', key, ARGV[2])
  end
end
return #KEYS
"""
#: INCR, and give a new key its expiry: a fixed-window counter in one round trip.
COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _script(self, client, source):
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = self._script(client, INCR_EXISTING)(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def incr_many(self, keys, delta, missing):
        client = self.get_client(keys[0], write=True)
        self._script(client, INCR_MANY)(keys=keys, args=[delta, missing])

    def count(self, key, timeout):
        client = self.get_client(key, write=True)
        return self._script(client, COUNT)(keys=[key], args=[timeout])


class RedisCache(django_redis.RedisCache):
    """Two operations more than Django's (other backends get them from ``incr_many`` and
    ``count`` below, one call at a time)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def incr_many(self, keys, delta=1, missing=0, version=None):
        """Increment every key that exists by ``delta``; set a missing one to ``missing``."""
        keys = [self.make_and_validate_key(key, version=version) for key in keys]
        if keys:
            self._cache.incr_many(keys, delta, missing)

    def count(self, key, timeout, version=None) -> int:
        """Add one to the counter ``key`` (0 if missing); a new counter lives ``timeout`` s."""
        return self._cache.count(self.make_and_validate_key(key, version=version), timeout)


def incr_many(cache, keys, delta=1, missing=0) -> None:
    """``RedisCache.incr_many`` on any cache backend."""
    if hasattr(cache, "incr_many"):
        cache.incr_many(keys, delta, missing)
        return
    for key in keys:
        try:
            cache.incr(key, delta)
        except ValueError:
            cache.add(key, missing, timeout=None)


def count(cache, key, timeout) -> int:
    """``RedisCache.count`` on any cache backend."""
    if hasattr(cache, "count"):
        return cache.count(key, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


@functools.cache
def pickled_shape(*labels: str) -> str:
    """A fingerprint of these models' columns, for the keys of cached (pickled) instances: a
    migration that adds or renames a column changes it, so a deploy never unpickles a row
    without the new field."""
    columns = ";".join(
        label + ":" + ",".join(f.attname for f in apps.get_model(label)._meta.concrete_fields)
        for label in labels
    )
    return format(zlib.crc32(columns.encode()), "x")
