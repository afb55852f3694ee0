"""Django's Redis cache backend, reusing its client objects.

``django.core.cache.backends.redis`` builds a new ``redis.Redis`` object for every cache
call, and each one copies the library's ~170 response callbacks: a tenth of a millisecond
per call, and a signed-in request makes about ten (session, roles, generations, rate
limits). A ``redis.Redis`` object is thread-safe and holds no connection of its own (the
pool does), so one per pool is enough.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
