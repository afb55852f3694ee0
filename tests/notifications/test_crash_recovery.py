"""A worker killed with SIGKILL in the middle of a reminder batch: every e-mail it had
claimed is sent again, once, within two minutes of the restart.

Real processes throughout: Celery workers (solo pool) on Redis, PostgreSQL and the aiosmtpd
server of conftest.py. Run with PostgreSQL and Redis (see test_worker.py); ``-s`` shows the
time from the restart to full delivery.

The kill lands while the server keeps the worker waiting for a recipient's answer
(``Mailbox.pause_after``), between two accepted e-mails. A kill in the instant after the
server accepted an e-mail and before the worker marked it sent would have that e-mail sent
again: the one window the outbox cannot close (``services.send_claimed``), left out here so
that the test can insist on no duplicate.

Only the sweeper brings the killed batch back. Its task message stays unacknowledged in
Redis, and kombu hands it out again only after the broker's visibility timeout (an hour):
``task_reject_on_worker_lost`` needs a living worker process to reject it. That message,
when it comes back, finds its keys already queued and sends nothing; it may then land in
QUEUE, which the next run empties first.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from bookings import tasks as booking_tasks
from notifications import reminders as rules
from notifications import services, tasks
from notifications.models import Notification, ReminderRule
from tests import factories as f

from .conftest import start_workers, stop_workers
from .factories import BookingFactory, at

pytestmark = pytest.mark.postgres

#: The test's own queue: the session's other workers (test_worker.py) never take its tasks.
QUEUE = "notifications-crash-test"
BOOKINGS = 225  # two e-mails each (school and association): 450 reminders in two batches
KILL_AFTER = 150  # e-mails delivered before the kill, in the first batch of 400
DEADLINE = 120  # seconds from the restart to full delivery


def _purge_queue() -> None:
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(QUEUE)


def _sweep_interval() -> float:
    """How often beat runs the sweeper (the schedule in the settings)."""
    schedule = settings.CELERY_BEAT_SCHEDULE["notifications-retry-failed"]["schedule"]
    return schedule.total_seconds() if isinstance(schedule, timedelta) else float(schedule)


@pytest.fixture
def due_reminders(transactional_db):
    """225 confirmed bookings a week ahead and the 7-day reminder rule that is due for them."""
    municipality = f.MunicipalityFactory()
    school = f.SchoolFactory(municipality=municipality)
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(association=association, published=True)
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    bookings = BookingFactory.create_batch(
        BOOKINGS,
        school=school,
        offer=offer,
        requested_by=teacher,
        contact_teacher=teacher,
        starts_at=at(7),
        ends_at=at(7, 12),
    )
    rule = rules.create_default_rules(municipality)[0]
    assert (rule.kind, rule.days) == (ReminderRule.Kind.REMINDER, 7)
    return rule, [b.pk for b in bookings]


def _delivered(mailbox) -> Counter:
    with mailbox.lock:
        return Counter(m["X-Portal-Notification"] for m in mailbox.messages)


def test_a_worker_killed_mid_batch_has_its_emails_sent_once_within_two_minutes(
    worker_env, sending_to_workers, due_reminders, mailbox, tmp_path
):
    rule, booking_ids = due_reminders
    today = timezone.localdate().isoformat()
    expected = 2 * BOOKINGS
    _purge_queue()
    mailbox.delay = 0.01  # a server that takes a moment per recipient
    mailbox.pause_after(KILL_AFTER)

    first = start_workers(worker_env, tmp_path, ["crash-first"], queue=QUEUE)
    workers = list(first)
    try:
        # What the reminder scan does: one task per batch of due bookings.
        size = rules.BATCH_SIZE
        for start in range(0, BOOKINGS, size):
            batch = booking_ids[start : start + size]
            booking_tasks.send_booking_reminders.apply_async((rule.pk, batch, today), queue=QUEUE)
        assert mailbox.paused.wait(timeout=90), "the first worker never got to the pause"
        rows = Notification.objects.filter(kind="booking.reminder")
        claimed = rows.filter(state=Notification.State.SENDING).count()
        assert sum(_delivered(mailbox).values()) == KILL_AFTER
        assert claimed == 2 * size - KILL_AFTER  # the rest of the first batch

        proc = first[0][0]
        proc.kill()  # SIGKILL: no shutdown, nothing acknowledged or put back
        proc.wait()
        mailbox.resume()

        restarted = time.monotonic()
        workers += start_workers(worker_env, tmp_path, ["crash-restarted"], queue=QUEUE)
        interval, next_sweep = _sweep_interval(), restarted + _sweep_interval()
        delivered_at = None
        while time.monotonic() - restarted < DEADLINE + 30:
            if time.monotonic() >= next_sweep:  # as beat would
                tasks.retry_queued.apply_async(queue=QUEUE)
                next_sweep += interval
            if len(_delivered(mailbox)) >= expected:
                delivered_at = time.monotonic()
                break
            time.sleep(0.1)
        time.sleep(3)  # an e-mail sent twice would arrive now
    finally:
        mailbox.resume()
        stop_workers(workers)

    delivered = _delivered(mailbox)
    seconds = (delivered_at or time.monotonic()) - restarted
    report = (
        f"{len(delivered)} of {expected} reminders delivered {seconds:.1f} s after the restart "
        f"({claimed} claimed by the killed worker; lease {services.CLAIM_LEASE.seconds} s, "
        f"sweep every {interval:.0f} s)"
    )
    print(f"\n{report}")  # noqa: T201
    assert len(delivered) == expected, report
    assert [key for key, n in delivered.items() if n > 1] == [], "sent twice"
    assert rows.filter(state=Notification.State.SENT).count() == expected
    assert delivered_at is not None and seconds < DEADLINE, report
