"""kombu's Redis transport for Celery, with one client object per channel.

kombu's Redis channel builds a new ``redis.Redis`` object for every message it publishes
(``Channel._create_client``), and each one copies the library's ~170 response callbacks:
about a quarter of the CPU time of ``task.delay()``, paid on every request that queues an
e-mail. A ``redis.Redis`` object is thread-safe and holds no connection of its own (the
channel's pool does), so the channel keeps the first one. The same reasoning as
``portal.cache.RedisCacheClient``. Used for ``redis://`` broker URLs
(``CELERY_BROKER_TRANSPORT`` in the settings).
"""

from __future__ import annotations

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _sync_client = None

    def _create_client(self, asynchronous=False):
        if asynchronous:  # the worker's polling client: kombu keeps it itself
            return super()._create_client(asynchronous=True)
        if self._sync_client is None:
            self._sync_client = super()._create_client()
        return self._sync_client

    def _disconnect_pools(self):
        # After a fork and on close kombu drops its pools; the client belongs to the old one.
        self._sync_client = None
        super()._disconnect_pools()


class Transport(kombu_redis.Transport):
    Channel = Channel
