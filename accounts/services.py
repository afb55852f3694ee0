"""Sign-up and e-mail confirmation."""

from __future__ import annotations

import time

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import absolute_url, notify

from .models import User

CONFIRM_SALT = "accounts.confirm-email"
#: How long a confirmation link works.
CONFIRM_MAX_AGE = 3 * 24 * 3600


class InvalidToken(Exception):
    """The link is broken, expired or meant for another address."""


@transaction.atomic
def sign_up(*, full_name: str, email: str, password: str, language: str = "da") -> User:
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, language=language
    )
    send_confirmation(user)
    return user


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT, compress=True)


def send_confirmation(user: User) -> None:
    if user.email_confirmed:
        return
    token = confirmation_token(user)
    notify(
        kind="confirm_email",
        key=f"confirm-email:{user.pk}:{time.time_ns()}",
        to_email=user.email,
        template="confirm_email",
        context={
            "recipient_name": user.full_name,
            "action_url": absolute_url(reverse("accounts:confirm_email", args=[token])),
            "valid_days": CONFIRM_MAX_AGE // 86400,
        },
        user=user,
    )


def confirm_email(token: str) -> User:
    """Mark the address in the token confirmed. Raises InvalidToken."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise InvalidToken from exc
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u")).first()
        if user is None or user.email != data.get("e"):
            raise InvalidToken
        if not user.email_confirmed:
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email_confirmed_at"])
    return user
