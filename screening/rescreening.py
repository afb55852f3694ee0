"""Re-screening: an approval lasts a period set per municipality, then the item goes back for
screening. Renewal is a resubmission (``Transition.SUBMIT`` is allowed from EXPIRED).

The jobs work on every screened model (``checks.screened_models``); an app whose items can
also lose their approval for its own reasons (an offer's child certificates) calls
``remind`` and ``expire`` from its own beat job.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from notifications.services import notify

from . import services
from .checks import screened_models
from .workflow import S, Transition, TransitionNotAllowed

log = logging.getLogger(__name__)

#: Days before an approval (or a certificate) runs out that the owner is warned.
WARN_DAYS = 30


def remind_expiring(before: datetime) -> int:
    """Remind once per approval period (the outbox key holds the expiry date)."""
    sent = 0
    for model in screened_models():
        due = model.objects.live().filter(
            state=S.APPROVED,
            approval_expires_at__gt=timezone.now(),
            approval_expires_at__lte=before,
        )
        for item in due:
            expires = timezone.localdate(item.approval_expires_at)
            if remind(
                item,
                template="screening_expiry_reminder",
                key=f"screening.expiring:{model._meta.model_name}={item.pk}:until={expires}",
                context={"expires": expires},
            ):
                sent += 1
    return sent


def expire_due(now: datetime) -> int:
    expired = 0
    for model in screened_models():
        for pk in (
            model.objects.live()
            .filter(state=S.APPROVED, approval_expires_at__lte=now)
            .values_list("pk", flat=True)
        ):
            if expire(model, pk, reason="approval"):
                expired += 1
    return expired


def expire(
    model,
    pk: int,
    *,
    reason: str,
    context: dict | None = None,
    template: str = "screening_expired",
    kind: str = "screening.expired",
) -> bool:
    """Take an approved item off the portal (``Transition.EXPIRE``) and tell its owner why,
    once (the outbox key names the expiry event). An app that expires items for its own
    reason may send its own e-mail (``template``, a ``kind`` it registers) with its own
    ``context``. False when someone changed the item meanwhile."""
    with transaction.atomic():
        item = model.objects.get(pk=pk)
        try:
            item = services.transition(item, Transition.EXPIRE, data={"reason": reason})
        except TransitionNotAllowed:
            return False
        event = services.history(item).order_by("-id").first()
        services._notify_association(item, event, template, context or {}, kind=kind)
    log.info("expired %s %s (%s)", model._meta.model_name, pk, reason)
    return True


def remind(item, *, template: str, key: str, context: dict) -> bool:
    """E-mail the item's owner that something runs out (once per ``key``)."""
    owner = item.screening_owner()
    return (
        notify(
            kind="screening.expiring",
            key=key,
            to_email=owner.contact_email,
            template=template,
            context={
                "recipient_name": owner.contact_name,
                "item_title": str(item),
                "item_type": services.item_type(item),
                "action_url": services.owner_url(item),
                **context,
            },
        )
        is not None
    )
