"""Celery talks to Redis through kombu's own transport, as it comes: REDIS_URL, as CI sets it."""

import os

import pytest
from kombu import Connection, Queue

URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="needs Redis: set REDIS_URL (CI does)")


def test_the_settings_use_kombus_redis_transport(settings):
    from portal.celery import app

    assert not hasattr(settings, "CELERY_BROKER_TRANSPORT")
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        transport = app.connection_for_write().transport
        assert type(transport).__module__ == "kombu.transport.redis"


def test_messages_arrive_in_order():
    queue = Queue(f"test-broker-{os.getpid()}")
    with Connection(URL) as connection:
        channel = connection.default_channel
        producer = connection.Producer(channel)
        for n in range(3):
            producer.publish({"n": n}, routing_key=queue.name, declare=[queue])
        bound = queue(channel)
        received = [bound.get(no_ack=True).payload["n"] for _ in range(3)]
        assert received == [0, 1, 2] and bound.get() is None
        bound.delete()
