"""Sending e-mail: one helper for every message, logged in the outbox with a unique key."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import context as email_context
from . import kinds
from .models import Notification, NotificationPreference

log = logging.getLogger(__name__)

#: A claim on a row (state SENDING) lasts this long after it was taken or last renewed. The
#: worker renews the claims it still holds every LEASE_RENEWAL while it writes and sends a
#: batch, so a SENDING row whose lease ran out belongs to a dead worker and may be claimed
#: again (see ``claim`` and ``Lease``).
CLAIM_LEASE = timedelta(seconds=60)
#: How often a worker renews its claims; the rest of the lease (50 s) is the longest a single
#: step (writing or sending one e-mail, EMAIL_TIMEOUT is 20 s) may take.
LEASE_RENEWAL = timedelta(seconds=10)
#: A row that failed waits this long before the beat sweeper tries it again.
RETRY_FAILED_AFTER = timedelta(minutes=15)
#: After this many attempts a row stays FAILED until an operator re-queues it.
MAX_ATTEMPTS = 10
#: Why a row is SKIPPED when its recipient turned its kind off.
TURNED_OFF = "turned off by the recipient"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_email(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render ``emails/<template>_subject.txt``, ``_body.txt`` and ``_body.html``."""
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", ctx).split())
        text = render_to_string(f"emails/{template}_body.txt", ctx)
        try:
            html = render_to_string(f"emails/{template}_body.html", ctx)
        except Exception:  # noqa: BLE001 - an HTML part is optional
            html = ""
    return subject, text, html


def wants(user, kind: str) -> bool:
    """Does this user want e-mails of this kind? Essential kinds are always sent."""
    if user is None:
        return True
    check = kinds.get(kind).user_wants
    if check is not None and not check(user):
        return False
    if kinds.is_essential(kind):
        return True
    return not NotificationPreference.objects.filter(user=user, kind=kind, enabled=False).exists()


def set_preference(user, kind: str, enabled: bool) -> None:
    """Turn one kind on or off for a user (essential kinds cannot be turned off)."""
    if kinds.is_essential(kind) and not enabled:
        raise ValueError(f"{kind} is essential and cannot be turned off")
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"enabled": enabled}
    )


def set_submission_emails(consultant, choice: str) -> None:
    """A consultant chooses one e-mail per submission or one daily digest."""
    type(consultant).objects.filter(pk=consultant.pk).update(submission_emails=choice)
    consultant.submission_emails = choice


UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(user, kind: str) -> str:
    """A signed token naming the user and the kind; works without login and never expires."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or "u" not in data or "k" not in data:
        return None
    return data["u"], data["k"]


def unsubscribe_url(user, kind: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def _recipient_user(to_email: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=to_email, is_active=True).first()


def notify(
    *,
    kind: str,
    key: str,
    to_email: str,
    template: str,
    context: dict,
    user=None,
    language: str | None = None,
    deliver: bool = True,
    guard: dict | None = None,
    new_key: bool = False,
) -> Notification | None:
    """Queue one e-mail, once. Returns None when the key was already used (or no address).

    Call it inside the transaction that causes the e-mail: the row commits with the change,
    and delivery is enqueued only after that transaction commits. The request only stores
    what to write: the template (``emails/<template>_*``) and its context, as JSON (see
    ``notifications.context`` for what it may hold: model instances, dates, numbers, plain
    strings; no lazy translations). The worker writes the e-mail just before sending it
    (``write``): it finds the recipient's user (``user``, or the account with the address),
    whose language it is written in and who may have turned the kind off (then the row is
    SKIPPED: deliberately not sent). ``guard`` holds the facts the e-mail was queued for; the
    kind's ``still_wanted`` check compares them at sending time. ``new_key`` says that the key
    names a row created in the same transaction (a new booking's id), so no e-mail can have
    it yet: the duplicate check is left out. A key used twice then fails the transaction
    instead of being skipped.
    """
    if not to_email:
        return None
    key = key[:255]
    if not new_key and Notification.objects.filter(key=key).exists():
        return None
    fields = {
        "key": key,
        "kind": kind,
        "to_email": to_email,
        "guard": guard or {},
        "user": user,
        "language": language or "",
        "template": template,
        "context": email_context.store(context),
        "subject": "",
        "body_text": "",
    }
    notification = _insert(fields, new_key)
    if notification is None:
        return None  # someone else queued the same key at the same moment
    if deliver:
        transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(notification_id: int) -> None:
    """Ask a worker to deliver the row. The arguments' text for logs and monitoring is given
    (Celery's ``argsrepr``): its own safe repr of them costs ≈ 100 Python calls a message."""
    from .tasks import deliver_notification

    args = (notification_id,)
    deliver_notification.apply_async(args, argsrepr=repr(args), kwargsrepr="{}")


def write(notification: Notification) -> str:
    """Write a queued row in its recipient's language and store what it says; "" when it is
    ready to send, otherwise the reason it is not sent (the kind turned off, or what the
    e-mail was about deleted)."""
    user = notification.user or _recipient_user(notification.to_email)
    language = notification.language or getattr(user, "language", None) or settings.LANGUAGE_CODE
    changes = {"user": user, "language": language}
    reason = "" if wants(user, notification.kind) else TURNED_OFF
    if not reason:
        try:
            context = email_context.load(notification.context)
        except ObjectDoesNotExist:
            reason = "what the e-mail was about has been deleted"
        else:
            written = _written(notification.kind, notification.template, context, user, language)
            changes.update(written)
    Notification.objects.filter(pk=notification.pk).update(**changes)
    for name, value in changes.items():
        setattr(notification, name, value)
    return reason


def _written(kind: str, template: str, context: dict, user, language: str) -> dict:
    """The subject, texts and unsubscribe link of an e-mail."""
    fields = {}
    if user is not None and not kinds.is_essential(kind):
        fields["unsubscribe_url"] = context["unsubscribe_url"] = unsubscribe_url(user, kind)
    subject, text, html = render_email(template, context, language)
    fields.update(subject=subject[:255], body_text=text, body_html=html)
    return fields


def _insert(fields: dict, new_key: bool = False) -> Notification | None:
    if new_key:
        return Notification.objects.create(**fields)
    try:
        with transaction.atomic():
            return Notification.objects.create(**fields)
    except IntegrityError:
        return None


def claim(notification_id: int) -> Notification | None:
    """Claim a queued (or failed, or abandoned) row with a conditional UPDATE; None if taken.

    Exactly one caller can move a row to SENDING: two workers running the same task, a
    task retried after a crash and the beat sweeper all race through this one UPDATE.
    Every claim counts an attempt, so the row's ``attempts`` names the claim: the holder's
    later writes (``Lease``, the ``mark_*`` functions) match it and change nothing once a
    newer claim took the row. A row in SENDING whose lease ran out (CLAIM_LEASE without a
    renewal: its worker died) can be claimed again.
    """
    now = timezone.now()
    claimable = Q(state__in=[Notification.State.QUEUED, Notification.State.FAILED]) | Q(
        state=Notification.State.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    updated = Notification.objects.filter(
        claimable, pk=notification_id, attempts__lt=MAX_ATTEMPTS
    ).update(state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if updated != 1:
        return None
    return Notification.objects.get(pk=notification_id)


def _holding(notification: Notification):
    """The row, if the claim that produced ``notification`` still holds it."""
    return Notification.objects.filter(
        pk=notification.pk, state=Notification.State.SENDING, attempts=notification.attempts
    )


class Lease:
    """The claims a worker holds on a batch, renewed while it writes and sends the batch.

    ``holds(row)`` is asked before each row is written and before it is sent. Every
    LEASE_RENEWAL it moves ``claimed_at`` forward on the rows still held (one UPDATE per
    ``attempts`` value, usually one per batch) and drops the rows a newer claim took
    meanwhile (this worker stalled for longer than CLAIM_LEASE), so that they are not sent
    from here as well. A worker that dies stops renewing: CLAIM_LEASE after the last renewal
    its rows can be claimed again, and the beat sweeper (``tasks.retry_queued``) sends them.
    """

    def __init__(self, notifications: list[Notification]):
        self.rows = {n.pk: n for n in notifications}
        self.renewed_at = time.monotonic()  # the claims were just taken

    def holds(self, notification: Notification) -> bool:
        if time.monotonic() - self.renewed_at >= LEASE_RENEWAL.total_seconds():
            self.renew()
        return notification.pk in self.rows

    def release(self, notification: Notification) -> None:
        """The row's outcome is recorded; its claim needs no more renewals."""
        self.rows.pop(notification.pk, None)

    def renew(self) -> None:
        started = time.monotonic()
        by_attempts = defaultdict(list)
        for pk, notification in self.rows.items():
            by_attempts[notification.attempts].append(pk)
        now = timezone.now()
        for attempts, pks in by_attempts.items():
            held = Notification.objects.filter(
                pk__in=pks, state=Notification.State.SENDING, attempts=attempts
            )
            if held.update(claimed_at=now) == len(pks):
                continue
            lost = set(pks) - set(held.values_list("pk", flat=True))
            log.warning("lost the claim on notifications %s: left to their new claim", lost)
            for pk in lost:
                del self.rows[pk]
        self.renewed_at = started


def requeue(notification_ids) -> list[int]:
    """Operators: put failed rows back in the queue with fresh attempts; returns their ids."""
    ids = list(
        Notification.objects.filter(
            pk__in=list(notification_ids), state=Notification.State.FAILED
        ).values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids, state=Notification.State.FAILED).update(
        state=Notification.State.QUEUED, attempts=0
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: _enqueue(pk))
    return ids


def build_message(notification: Notification, connection=None) -> EmailMultiAlternatives:
    headers = {"X-Portal-Notification": notification.key[:200]}
    if notification.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{notification.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        connection=connection,
        headers=headers,
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    attach = kinds.get(notification.kind).attachments
    for filename, content, mimetype in attach(notification) if attach else ():
        message.attach(filename, content, mimetype)
    return message


def is_transient(exc: BaseException) -> bool:
    """Worth trying again later? Connection trouble and 4xx answers are; 5xx answers are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return any(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500 or exc.smtp_code == -1
    return isinstance(exc, smtplib.SMTPException | OSError | ConnectionError | TimeoutError)


def _record(notification: Notification, **changes) -> bool:
    """Write a claimed row's outcome if its claim still holds (exactly one row changes)."""
    if _holding(notification).update(**changes) == 1:
        return True
    # This worker stalled past its lease and a newer claim owns the row: it decides.
    log.warning("notification %s: claim lost, %s not recorded", notification.pk, changes["state"])
    return False


def mark_sent(notification: Notification) -> bool:
    return _record(
        notification, state=Notification.State.SENT, sent_at=timezone.now(), last_error=""
    )


def mark_failed(notification: Notification, error: BaseException) -> bool:
    """Record the error; a permanent one uses up the attempts so only an operator re-queues it."""
    update = {
        "state": Notification.State.FAILED,
        "last_error": f"{type(error).__name__}: {error}"[:2000],
    }
    if not is_transient(error):
        update["attempts"] = MAX_ATTEMPTS
    return _record(notification, **update)


def mark_skipped(notification: Notification, reason: str) -> bool:
    return _record(notification, state=Notification.State.SKIPPED, last_error=reason[:2000])


def still_wanted(notification: Notification) -> str:
    """ "" when the e-mail should go out; otherwise the reason it should not (checked at send)."""
    check = kinds.get(notification.kind).still_wanted
    if check is None:
        return ""
    return check(notification)


def send_claimed(notifications: list[Notification]) -> tuple[int, list[tuple[int, Exception]]]:
    """Send already-claimed rows over one SMTP connection. Returns (sent, failures).

    Each row is re-checked against the present first (a cancelled booking gets no reminder).
    The claims are renewed while the batch is written and sent (``Lease``), and a row is
    marked sent right after the server accepted it. A worker that dies between the two (a
    database round trip) leaves a row that is sent again once its lease runs out: the one
    way an e-mail can arrive twice.
    """
    lease = Lease(notifications)
    sent, failures = 0, []
    to_send = []
    for notification in notifications:
        if not lease.holds(notification):
            continue
        try:
            reason = "" if notification.is_written else write(notification)
        except DatabaseError:
            raise  # the rows stay claimed: the beat sweeper sends them when the lease runs out
        except Exception as exc:  # noqa: BLE001 - a template error: an operator looks at it
            log.exception("writing notification %s failed", notification.pk)
            mark_failed(notification, exc)
            lease.release(notification)
            failures.append((notification.pk, exc))
            continue
        reason = reason or still_wanted(notification)
        if reason:
            mark_skipped(notification, reason)
            lease.release(notification)
        else:
            to_send.append(notification)
    if not to_send:
        return sent, failures
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - connection failed: every row fails
        log.warning("opening the mail connection failed: %s", exc)
        for notification in to_send:
            mark_failed(notification, exc)
            failures.append((notification.pk, exc))
        return sent, failures
    try:
        for notification in to_send:
            if not lease.holds(notification):
                continue
            try:
                build_message(notification, connection).send()
            except Exception as exc:  # noqa: BLE001 - recorded and retried
                log.warning("sending notification %s failed: %s", notification.pk, exc)
                mark_failed(notification, exc)
                failures.append((notification.pk, exc))
            else:
                mark_sent(notification)
                sent += 1
            lease.release(notification)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()
    return sent, failures


def claim_and_send(notification_ids: list[int]) -> tuple[int, list[tuple[int, Exception]]]:
    """Claim what we can of these rows and send them over one connection."""
    claimed = [n for n in (claim(pk) for pk in notification_ids) if n is not None]
    return send_claimed(claimed)
