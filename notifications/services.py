"""Sending e-mail: one helper for every message, logged in the outbox with a unique key."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

log = logging.getLogger(__name__)

#: A row left in "sending" longer than this is treated as abandoned by a dead worker.
STALE_CLAIM = timedelta(minutes=15)


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
) -> Notification | None:
    """Queue one e-mail, once. Returns None when the key was already used.

    Call it inside the transaction that causes the e-mail; delivery is enqueued
    only after that transaction commits.
    """
    if not to_email:
        return None
    language = language or getattr(user, "language", None) or settings.LANGUAGE_CODE
    if Notification.objects.filter(key=key).exists():
        return None
    subject, text, html = render_email(template, context, language)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key[:255],
                kind=kind,
                user=user,
                to_email=to_email,
                language=language,
                subject=subject[:255],
                body_text=text,
                body_html=html,
            )
    except IntegrityError:
        return None  # someone else queued the same key at the same moment
    if deliver:
        from .tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return notification


def claim(notification_id: int) -> Notification | None:
    """Claim a queued (or failed, or abandoned) row with a conditional UPDATE; None if taken."""
    now = timezone.now()
    claimable = Q(state__in=[Notification.State.QUEUED, Notification.State.FAILED]) | Q(
        state=Notification.State.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    updated = Notification.objects.filter(claimable, pk=notification_id).update(
        state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if updated != 1:
        return None
    return Notification.objects.get(pk=notification_id)


def build_message(notification: Notification, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        connection=connection,
        headers={"X-Portal-Notification": notification.key[:200]},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    return message


def mark_sent(notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.SENT, sent_at=timezone.now(), last_error=""
    )


def mark_failed(notification: Notification, error: Exception) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
    )


def send_claimed(notifications: list[Notification]) -> tuple[int, list[tuple[int, Exception]]]:
    """Send already-claimed rows over one SMTP connection. Returns (sent, failures)."""
    sent, failures = 0, []
    if not notifications:
        return sent, failures
    connection = get_connection()
    try:
        connection.open()
        for notification in notifications:
            try:
                build_message(notification, connection).send()
            except Exception as exc:  # noqa: BLE001 - recorded and retried
                log.warning("sending notification %s failed: %s", notification.pk, exc)
                mark_failed(notification, exc)
                failures.append((notification.pk, exc))
            else:
                mark_sent(notification)
                sent += 1
    except Exception as exc:  # noqa: BLE001 - connection failed: every row fails
        for notification in notifications:
            mark_failed(notification, exc)
            failures.append((notification.pk, exc))
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()
    return sent, failures
