"""Real Celery workers (Redis broker) and a real SMTP server: what actually gets delivered.

Run with PostgreSQL and Redis, e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/notify_db REDIS_URL=redis://127.0.0.1:6379/5``.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bookings import reminders
from bookings import tasks as booking_tasks
from bookings.states import BookingState
from notifications import services, tasks
from notifications.models import Notification
from tests import factories as f

from .factories import BookingFactory, at

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("celery_worker")]


@pytest.fixture
def cast(transactional_db):
    municipality = f.MunicipalityFactory()
    school = f.SchoolFactory(municipality=municipality)
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(association=association, published=True)
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    return {"school": school, "offer": offer, "teacher": teacher, "association": association}


def booking_for(cast, day, **kw):
    return BookingFactory(
        school=cast["school"],
        offer=cast["offer"],
        requested_by=cast["teacher"],
        contact_teacher=cast["teacher"],
        starts_at=at(day),
        ends_at=at(day, 12),
        **kw,
    )


def scan(today):
    return booking_tasks.scan_reminders.delay(today.isoformat())


def test_notify_is_delivered_by_the_worker(cast, mailbox):
    teacher = cast["teacher"]
    services.notify(
        kind="screening.digest",
        key="worker-test-1",
        to_email=teacher.email,
        user=teacher,
        template="digest_submissions",
        context={"recipient_name": teacher.full_name, "municipality": "Helsingør", "waiting": []},
    )
    assert mailbox.wait_for(1) == 1
    message = mailbox.to(teacher.email)[0]
    assert "screening" in message["Subject"]
    assert message.get_body(("html",)) is not None
    assert message["List-Unsubscribe"]
    assert Notification.objects.get(key="worker-test-1").state == Notification.State.SENT


def test_one_reminder_at_seven_days_and_one_at_one_day_none_after_cancellation(cast, mailbox):
    teacher, contact = cast["teacher"], cast["association"].contact_email
    kept = booking_for(cast, 8)
    cancelled = booking_for(cast, 9)
    start_kept = timezone.localdate(kept.starts_at)
    start_cancelled = timezone.localdate(cancelled.starts_at)

    # Each date's scans are done before the next date's start, as the days follow each other:
    # a booking is in two dates' windows (rules.GRACE_DAYS), and the next date's scan,
    # had it come first, would write the reminder a day late, as of its own date.
    scan(start_kept - timedelta(days=7))  # 7 days before the first booking
    assert mailbox.wait_for(2) == 2
    scan(start_cancelled - timedelta(days=7))  # the next day: 7 days before the second
    assert mailbox.wait_for(4) == 4
    cancelled.state = BookingState.CANCELLED
    cancelled.save()
    scan(start_kept - timedelta(days=7))  # a repeated scan sends nothing new
    scan(start_kept - timedelta(days=1))
    assert mailbox.wait_for(6) == 6
    scan(start_cancelled - timedelta(days=1))  # cancelled: nothing; the kept one's is out
    assert mailbox.wait_for(6, settle=3) == 6
    subjects = sorted(m["Subject"] for m in mailbox.to(teacher.email))
    assert len(subjects) == 3
    assert len([s for s in subjects if s.startswith("I morgen")]) == 1
    bodies = [m.get_body(("plain",)).get_content() for m in mailbox.to(teacher.email)]
    assert len([b for b in bodies if "finder sted om 7 dage." in b]) == 2
    assert len(mailbox.to(contact)) == 3
    rows = Notification.objects.filter(kind="booking.reminder")
    assert rows.filter(state=Notification.State.SENT).count() == 6
    assert rows.filter(guard__booking=cancelled.pk, state=Notification.State.SENT).count() == 2


def test_a_moved_booking_gets_the_reminder_for_its_new_date(cast, mailbox):
    booking = booking_for(cast, 7)
    scan(timezone.localdate())
    assert mailbox.wait_for(2) == 2
    booking.starts_at, booking.ends_at = at(10), at(10, 12)
    booking.save()
    scan(timezone.localdate() + timedelta(days=3))  # 7 days before the new date
    assert mailbox.wait_for(4) == 4


def test_concurrent_scans_send_each_reminder_once(cast, mailbox):
    for _ in range(30):
        booking_for(cast, 7)
    today = timezone.localdate()
    scan(today)
    scan(today)  # two workers: both scans run at the same time

    def scan_here():
        try:
            reminders.scan_booking_reminders()
        finally:
            connection.close()  # this thread's own connection

    in_process = threading.Thread(target=scan_here)
    in_process.start()
    in_process.join()
    assert mailbox.wait_for(60, settle=3) == 60
    keys = [m["X-Portal-Notification"] for m in mailbox.messages]
    assert len(set(keys)) == 60


def test_a_batch_is_sent_over_one_smtp_connection(cast, mailbox):
    for _ in range(10):
        booking_for(cast, 7)
    scan(timezone.localdate())
    assert mailbox.wait_for(20) == 20
    assert len(mailbox.sessions) == 1


def test_a_temporary_failure_is_retried_and_delivered_once(cast, mailbox):
    teacher = cast["teacher"]
    mailbox.fail_once.add(teacher.email)  # the server answers 451 to the first attempt
    services.notify(
        kind="booking.cancelled",
        key="worker-retry-1",
        to_email=teacher.email,
        user=teacher,
        template="digest_submissions",
        context={"municipality": "Helsingør", "waiting": []},
    )
    assert mailbox.wait_for(1, timeout=30) == 1
    row = Notification.objects.get(key="worker-retry-1")
    assert row.state == Notification.State.SENT
    assert row.attempts == 2
    assert len(mailbox.to(teacher.email)) == 1


def test_a_row_abandoned_in_sending_is_picked_up_once(cast, mailbox):
    teacher = cast["teacher"]
    row = services.notify(
        kind="booking.cancelled",
        key="worker-stale-1",
        to_email=teacher.email,
        user=teacher,
        template="digest_submissions",
        context={"municipality": "Helsingør", "waiting": []},
        deliver=False,
    )
    # A worker claimed it and died before sending.
    Notification.objects.filter(pk=row.pk).update(
        state=Notification.State.SENDING,
        attempts=1,
        claimed_at=timezone.now() - services.CLAIM_LEASE - timedelta(minutes=1),
    )
    tasks.retry_queued.delay()
    tasks.retry_queued.delay()
    tasks.deliver_notification.delay(row.pk)
    assert mailbox.wait_for(1, settle=3) == 1
    row.refresh_from_db()
    assert row.state == Notification.State.SENT
