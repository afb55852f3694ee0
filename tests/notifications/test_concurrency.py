"""Many claimers at once (threads with their own connections): exactly one wins each row."""

import threading

import pytest
from django.db import connection

from notifications import services
from notifications.models import Notification

pytestmark = pytest.mark.postgres


def _queue(n: int) -> list[int]:
    ids = []
    for i in range(n):
        row = services.notify(
            kind="booking.cancelled",
            key=f"race-{i}",
            to_email=f"r{i}@example.com",
            template="digest_submissions",
            context={"municipality": "M", "waiting": []},
            deliver=False,
        )
        ids.append(row.pk)
    return ids


def _in_threads(count: int, work) -> list:
    results, barrier = [], threading.Barrier(count)
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            result = work()
            with lock:
                results.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_eight_claimers_one_winner_per_row(transactional_db):
    ids = _queue(20)
    results = _in_threads(8, lambda: [services.claim(pk) for pk in ids])
    for index, pk in enumerate(ids):
        winners = [claims[index] for claims in results if claims[index] is not None]
        assert len(winners) == 1, pk
    assert Notification.objects.filter(state="sending", attempts=1).count() == 20


def test_eight_notifies_of_one_key_queue_one_row(transactional_db):
    def queue_once():
        return services.notify(
            kind="booking.cancelled",
            key="same-key",
            to_email="same@example.com",
            template="digest_submissions",
            context={"municipality": "M", "waiting": []},
            deliver=False,
        )

    results = _in_threads(8, queue_once)
    assert len([r for r in results if r is not None]) == 1
    assert Notification.objects.filter(key="same-key").count() == 1
