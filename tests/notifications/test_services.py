"""notify(), preferences, claiming and sending: the outbox guarantees, in process."""

import smtplib
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from notifications import kinds, services, tasks
from notifications.models import Notification, NotificationPreference
from tests import factories as f

pytestmark = pytest.mark.django_db

TEMPLATE = "digest_submissions"


def queue(user=None, kind="screening.digest", key="k1", to="a@example.com", deliver=False, **kw):
    return services.notify(
        kind=kind,
        key=key,
        to_email=to if user is None else user.email,
        template=TEMPLATE,
        context={"recipient_name": "Ida", "municipality": "Helsingør", "waiting": []},
        user=user,
        deliver=deliver,
        **kw,
    )


def test_same_key_is_queued_once():
    first = queue()
    assert first is not None
    assert queue() is None
    assert Notification.objects.count() == 1


def test_a_new_key_skips_the_duplicate_check_and_a_reused_one_fails_loudly(
    django_assert_num_queries,
):
    from django.db import IntegrityError, transaction

    recipient = f.UserFactory()
    essential = "booking.reminder"  # no preference to read
    with django_assert_num_queries(1):  # the insert only: no lookup, no savepoint
        assert queue(user=recipient, kind=essential, key="new-1", new_key=True) is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        queue(user=recipient, kind=essential, key="new-1", new_key=True)
    assert Notification.objects.filter(key="new-1").count() == 1


def test_notify_delivers_on_commit_in_the_recipients_language(django_capture_on_commit_callbacks):
    user = f.UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(user=user, deliver=True)
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Submissions waiting for screening" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert '<html lang="en">' in message.alternatives[0][0]  # read aloud in English


def written(notification):
    """The row as the worker writes it just before sending; the reason it is not sent."""
    reason = services.write(notification)
    notification.refresh_from_db()
    return reason


def test_the_request_stores_what_to_write_and_the_worker_writes_it():
    notification = queue(to="nobody@example.com")
    notification.refresh_from_db()
    assert (notification.subject, notification.body_text, notification.language) == ("", "", "")
    assert not notification.is_written and notification.template == TEMPLATE
    assert written(notification) == ""
    assert notification.is_written


def test_danish_is_the_default_language():
    notification = queue(to="nobody@example.com")
    written(notification)
    assert "venter på screening" in notification.body_text
    assert notification.language == "da" and '<html lang="da">' in notification.body_html


def test_opted_out_kind_is_recorded_as_skipped_and_not_sent(django_capture_on_commit_callbacks):
    """The preference is read when the worker writes the e-mail, not when it is queued."""
    user = f.UserFactory()
    services.set_preference(user, "screening.digest", False)
    with django_capture_on_commit_callbacks(execute=True):
        queued = queue(user=user, deliver=True)
    assert queued is not None  # queued: the request does not read preferences
    row = Notification.objects.get()
    assert row.state == Notification.State.SKIPPED and row.last_error == services.TURNED_OFF
    assert (row.subject, row.body_text) == ("", "")
    assert mail.outbox == []


def test_a_kind_turned_off_after_queueing_is_not_sent():
    user = f.UserFactory()
    row = queue(user=user)
    services.set_preference(user, "screening.digest", False)
    assert services.claim_and_send([row.pk]) == (0, [])
    row.refresh_from_db()
    assert row.state == Notification.State.SKIPPED and row.last_error == services.TURNED_OFF
    assert mail.outbox == []


def test_a_kind_turned_on_again_before_writing_is_sent():
    user = f.UserFactory()
    services.set_preference(user, "screening.digest", False)
    row = queue(user=user)
    services.set_preference(user, "screening.digest", True)
    assert services.claim_and_send([row.pk]) == (1, [])
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_the_user_is_found_by_address_for_preferences():
    user = f.UserFactory(email="lone@example.com")
    services.set_preference(user, "screening.digest", False)
    row = queue(to="LONE@example.com")
    assert written(row) == services.TURNED_OFF
    assert row.user == user


def test_essential_kinds_cannot_be_turned_off():
    user = f.UserFactory()
    with pytest.raises(ValueError):
        services.set_preference(user, "booking.reminder", False)
    NotificationPreference.objects.create(user=user, kind="booking.reminder", enabled=False)
    assert written(queue(user=user, kind="booking.reminder")) == ""


def test_unknown_kinds_count_as_essential():
    assert kinds.is_essential("something.new")


def test_optional_kinds_get_a_working_unsubscribe_link(client):
    user = f.UserFactory()
    notification = queue(user=user)
    written(notification)
    assert notification.unsubscribe_url
    assert notification.unsubscribe_url in notification.body_text
    assert notification.unsubscribe_url in notification.body_html
    message = services.build_message(notification)
    assert message.extra_headers["List-Unsubscribe"] == f"<{notification.unsubscribe_url}>"
    path = notification.unsubscribe_url.removeprefix("http://127.0.0.1:8000")
    assert client.post(path).status_code == 200
    assert not services.wants(user, "screening.digest")


def test_essential_kinds_have_no_unsubscribe_link():
    user = f.UserFactory()
    notification = queue(user=user, kind="booking.cancelled")
    written(notification)
    assert notification.is_written and notification.unsubscribe_url == ""


def test_only_one_claim_wins():
    notification = queue()
    assert services.claim(notification.pk) is not None
    assert services.claim(notification.pk) is None
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENDING
    assert notification.attempts == 1


def test_a_row_stuck_in_sending_is_reclaimed_when_its_lease_runs_out():
    notification = queue()
    services.claim(notification.pk)
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=timezone.now() - services.CLAIM_LEASE + timedelta(minutes=1)
    )
    assert services.claim(notification.pk) is None
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=timezone.now() - services.CLAIM_LEASE - timedelta(minutes=1)
    )
    assert services.claim(notification.pk) is not None


def _lease_ran_out(notification):
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=timezone.now() - services.CLAIM_LEASE - timedelta(seconds=1)
    )


def test_a_worker_renews_the_lease_of_the_rows_it_still_holds(monkeypatch):
    rows = [queue(key="a"), queue(key="b")]
    claimed = [services.claim(r.pk) for r in rows]
    for row in claimed:
        _lease_ran_out(row)
    lease = services.Lease(claimed)
    lease.release(claimed[1])  # its outcome is recorded: no renewal
    monkeypatch.setattr(services, "LEASE_RENEWAL", timedelta(0))  # renewal is due
    assert lease.holds(claimed[0])
    held, released = (
        Notification.objects.get(pk=rows[0].pk),
        Notification.objects.get(pk=rows[1].pk),
    )
    assert held.claimed_at > timezone.now() - timedelta(seconds=5)
    assert released.claimed_at < timezone.now() - services.CLAIM_LEASE
    assert services.claim(rows[0].pk) is None  # the renewed lease keeps other workers off


def test_a_worker_that_lost_its_claim_neither_sends_nor_records(monkeypatch):
    """Worker A stalled past its lease; worker B claimed the row again. A leaves it to B."""
    row = queue()
    stalled = services.claim(row.pk)
    _lease_ran_out(stalled)
    assert services.claim(row.pk) is not None  # B
    assert not services.mark_sent(stalled)
    monkeypatch.setattr(services, "LEASE_RENEWAL", timedelta(0))
    assert services.send_claimed([stalled]) == (0, [])
    assert mail.outbox == []
    row.refresh_from_db()
    assert (row.state, row.attempts) == (Notification.State.SENDING, 2)  # still B's


def test_a_batch_that_outlasts_the_lease_keeps_its_rows_from_the_sweeper(monkeypatch):
    """The sweeper runs while a live worker is slow: renewed leases keep it off the rows."""
    rows = [queue(key=f"slow-{i}", to=f"s{i}@example.com") for i in range(3)]
    monkeypatch.setattr(services, "CLAIM_LEASE", timedelta(seconds=1))
    monkeypatch.setattr(services, "LEASE_RENEWAL", timedelta(seconds=0.2))
    send, swept, sweeping = EmailMultiAlternatives.send, [], []

    def slow_send(message, *args, **kwargs):
        time.sleep(0.6)  # three of these outlast the lease
        if not sweeping:  # not from inside the sweeper's own sending
            sweeping.append(True)
            swept.append(tasks.retry_queued())
            sweeping.clear()
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    assert services.claim_and_send([r.pk for r in rows]) == (3, [])
    assert swept == [0, 0, 0]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "s0@example.com",
        "s1@example.com",
        "s2@example.com",
    ]


def test_the_sweeper_sends_a_dead_workers_rows_once_in_several_batches():
    rows = [queue(key=f"dead-{i}", to=f"r{i}@example.com") for i in range(5)]
    for row in rows:
        _lease_ran_out(services.claim(row.pk))
    held = queue(key="alive", to="alive@example.com")
    services.claim(held.pk)  # a live worker's row: its lease holds
    assert tasks.retry_queued(batch_size=2) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"r{i}@example.com" for i in range(5))
    assert tasks.retry_queued(batch_size=2) == 0
    assert Notification.objects.get(pk=held.pk).state == Notification.State.SENDING


def test_the_sweeper_still_waits_before_trying_a_failed_row_again():
    row = queue()
    services.mark_failed(services.claim(row.pk), smtplib.SMTPDataError(451, b"later"))
    Notification.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - timedelta(minutes=5))
    assert tasks.retry_queued() == 0
    Notification.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - services.RETRY_FAILED_AFTER - timedelta(seconds=1)
    )
    assert tasks.retry_queued() == 1


def test_sent_rows_are_never_claimed_again():
    notification = queue()
    sent, failures = services.claim_and_send([notification.pk])
    assert (sent, failures) == (1, [])
    assert services.claim(notification.pk) is None
    assert services.claim_and_send([notification.pk]) == (0, [])
    assert len(mail.outbox) == 1


def test_rows_that_used_up_their_attempts_wait_for_an_operator():
    notification = queue()
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.FAILED, attempts=services.MAX_ATTEMPTS
    )
    assert services.claim(notification.pk) is None
    assert services.requeue([notification.pk]) == [notification.pk]
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.QUEUED, 0)


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x": (451, b"later")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x": (550, b"no such user")}), False),
        (smtplib.SMTPDataError(452, b"full"), True),
        (smtplib.SMTPDataError(554, b"spam"), False),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(), True),
        (ValueError("bug"), False),
    ],
)
def test_only_temporary_errors_are_retried(exc, transient):
    assert services.is_transient(exc) is transient


def test_a_permanent_failure_is_recorded_and_not_retried(settings):
    notification = queue()
    claimed = services.claim(notification.pk)
    services.mark_failed(claimed, smtplib.SMTPRecipientsRefused({"a@x": (550, b"unknown")}))
    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    assert "SMTPRecipientsRefused" in notification.last_error
    assert notification.attempts == services.MAX_ATTEMPTS


def test_an_unreachable_server_fails_every_row_with_the_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    rows = [queue(key="a"), queue(key="b")]
    sent, failures = services.claim_and_send([r.pk for r in rows])
    assert sent == 0 and len(failures) == 2
    for row in rows:
        row.refresh_from_db()
        assert row.state == Notification.State.FAILED
        assert row.last_error
        assert row.attempts == 1  # a connection error is temporary: it will be tried again
