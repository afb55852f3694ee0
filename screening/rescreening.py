"""Re-screening: approvals last a period per municipality; child certificates have a limit.

Renewal is a resubmission (``Transition.SUBMIT`` is allowed from EXPIRED).
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.db import transaction

from . import services
from .workflow import S, Transition, TransitionNotAllowed

log = logging.getLogger(__name__)

#: Days before an approval or a certificate runs out that the association is warned.
WARN_DAYS = 30


def _screened_models():
    from associations.models import Association, Offer

    return (Association, Offer)


def remind_expiring(before: datetime) -> int:
    """Remind once per approval period (the outbox key holds the expiry date)."""
    from django.utils import timezone

    sent = 0
    for model in _screened_models():
        due = model.objects.live().filter(
            state=S.APPROVED,
            approval_expires_at__gt=timezone.now(),
            approval_expires_at__lte=before,
        )
        for item in due:
            association = services.association_of(item)
            expires = timezone.localdate(item.approval_expires_at)
            if _send(
                item,
                kind="screening.expiring",
                template="screening_expiry_reminder",
                key=f"screening.expiring:{model._meta.model_name}={item.pk}:until={expires}",
                context={"expires": expires, "recipient_name": association.contact_name},
            ):
                sent += 1
    return sent


def expire_due(now: datetime) -> int:
    expired = 0
    for model in _screened_models():
        for pk in (
            model.objects.live()
            .filter(state=S.APPROVED, approval_expires_at__lte=now)
            .values_list("pk", flat=True)
        ):
            if _expire(model, pk, reason="approval"):
                expired += 1
    return expired


def warn_certificates(today: date, before: date) -> int:
    from associations.models import Offer

    sent = 0
    for offer in Offer.objects.live().filter(
        state=S.APPROVED, certificates_valid_until__gte=today, certificates_valid_until__lte=before
    ):
        until = offer.certificates_valid_until
        if _send(
            offer,
            kind="screening.expiring",
            template="screening_certificate_warning",
            key=f"screening.certificates:offer={offer.pk}:until={until}",
            context={"expires": until},
        ):
            sent += 1
    return sent


def expire_certificates(today: date) -> int:
    """Approved offers whose instructors' certificates are too old go back for screening.

    (An offer with a missing certificate is not published anyway; the consultant sees why.)
    """
    from associations.models import Offer
    from associations.services import refresh_certificate_validity

    expired = 0
    for offer in Offer.objects.live().filter(state=S.APPROVED).prefetch_related("instructors"):
        valid_until = refresh_certificate_validity(offer)
        if valid_until is None or valid_until >= today:
            continue
        if _expire(Offer, offer.pk, reason="certificates"):
            expired += 1
    return expired


def _expire(model, pk: int, *, reason: str) -> bool:
    with transaction.atomic():
        item = model.objects.get(pk=pk)
        try:
            item = services.transition(item, Transition.EXPIRE, data={"reason": reason})
        except TransitionNotAllowed:
            return False  # someone changed it meanwhile
        event = services.history(item).order_by("-id").first()
        services._notify_association(
            item,
            event,
            "screening_expired",
            {"certificates": reason == "certificates"},
            kind="screening.expired",
        )
    log.info("expired %s %s (%s)", model._meta.model_name, pk, reason)
    return True


def _send(item, *, kind: str, template: str, key: str, context: dict) -> bool:
    from notifications.services import absolute_url, notify

    association = services.association_of(item)
    return (
        notify(
            kind=kind,
            key=key,
            to_email=association.contact_email,
            template=template,
            context={
                "recipient_name": association.contact_name,
                "item_title": str(item),
                "item_kind": services.kind_label(item),
                "action_url": absolute_url("/association/"),
                **context,
            },
        )
        is not None
    )
