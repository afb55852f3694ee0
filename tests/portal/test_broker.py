"""The Celery transport (portal.broker) against a real Redis: REDIS_URL, as CI sets it."""

import os

import pytest
from kombu import Connection, Queue

URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="needs Redis: set REDIS_URL (CI does)")


def test_the_settings_use_it_for_redis_urls(settings):
    from portal.celery import app

    if settings.CELERY_BROKER_URL.startswith("redis://"):
        assert app.connection_for_write().transport_cls == "portal.broker:Transport"


def test_messages_go_through_one_client_and_arrive_in_order():
    queue = Queue(f"test-broker-{os.getpid()}")
    with Connection(URL, transport="portal.broker:Transport") as connection:
        channel = connection.default_channel
        producer = connection.Producer(channel)
        for n in range(3):
            producer.publish({"n": n}, routing_key=queue.name, declare=[queue])
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
            assert first is second
        channel._disconnect_pools()  # what kombu does after a fork and on close
        with channel.conn_or_acquire() as third:
            assert third is not first and third.connection_pool is channel.pool
        bound = queue(channel)
        received = [bound.get(no_ack=True).payload["n"] for _ in range(3)]
        assert received == [0, 1, 2] and bound.get() is None
        bound.delete()
