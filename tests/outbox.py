"""The outbox in tests: a request only queues an e-mail (template and context); the worker
writes it just before sending. ``written`` does that writing for a test that reads a row's
text without sending it."""

from __future__ import annotations

from notifications import services
from notifications.models import Notification


def written(notification: Notification) -> Notification:
    """The row with its subject and texts, as the worker writes them before sending."""
    reason = services.write(notification)
    assert reason == "", reason
    notification.refresh_from_db()
    return notification
