"""Appointing a municipal consultant in one step: the user (found by e-mail or created), the
admin's Consultant group (``migrations/0003_consultant_group``) and the post in the
municipality, then an e-mail that tells the consultant how to log in. Deactivating the post
takes the admin access away again (``follow_post``)."""

from __future__ import annotations

import time

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from municipalities.models import Consultant
from notifications.services import absolute_url, notify

GROUP = "Consultant"


class AppointmentError(ValueError):
    """The appointment cannot be made. The message is for users."""


def existing_user(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def appointment_problem(email: str, municipality) -> str:
    """Why this address cannot become a consultant in this municipality ("" when it can):
    a user has one consultant post, and an active post elsewhere is not moved silently."""
    user = existing_user(email)
    post = Consultant.objects.filter(user=user).select_related("municipality").first()
    if post is not None and post.is_active and post.municipality_id != municipality.pk:
        return str(
            _("%(email)s is already a consultant in %(municipality)s.")
            % {"email": user.email, "municipality": post.municipality}
        )
    return ""


@transaction.atomic
def appoint(*, email: str, full_name: str, municipality, title: str = "") -> Consultant:
    """Make the person with this e-mail address a consultant in ``municipality``.

    An existing user is linked (their name and password stay); otherwise a user is created
    without a password and the e-mail holds a link to choose one. Either way the user gets
    admin access (staff), the Consultant group and an active post. Raises ``AppointmentError``.
    """
    problem = appointment_problem(email, municipality)
    if problem:
        raise AppointmentError(problem)
    user = existing_user(email)
    created = user is None
    if created:
        if not full_name.strip():
            raise AppointmentError(_("Give the name of the new user."))
        user = User.objects.create_user(email=email.strip(), full_name=full_name.strip())
    consultant, _created = Consultant.objects.update_or_create(
        user=user, defaults={"municipality": municipality, "title": title, "is_active": True}
    )
    follow_post(consultant)
    _send_welcome(consultant, new_user=created)
    return consultant


def follow_post(consultant: Consultant) -> None:
    """The admin access of a consultant's user follows the post: an active post gives staff
    status and the Consultant group, a deactivated one takes both away (an operator, a
    superuser, keeps their own access)."""
    user = consultant.user
    group, _created = Group.objects.get_or_create(name=GROUP)
    active = consultant.is_active
    if active:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    staff = active or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


def _send_welcome(consultant: Consultant, *, new_user: bool) -> None:
    user = consultant.user
    if new_user:
        # Django's password-reset link: the new consultant chooses a password with it.
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    else:
        path = reverse("admin:index")
    notify(
        kind="consultant.appointed",
        key=f"consultant.appointed:{consultant.pk}:{time.time_ns()}",
        to_email=user.email,
        user=user,
        template="consultant_appointed",
        context={
            "recipient_name": user.full_name,
            "municipality": consultant.municipality,
            "new_user": new_user,
            "action_url": absolute_url(path),
        },
    )
