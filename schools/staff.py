"""Screening of school staff: a membership is active once approved.

Approved automatically when the e-mail domain is on the municipality's list of school
domains; otherwise by a consultant of the municipality or by an approved principal or
department head of the same school.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.services import absolute_url, notify

from .models import SchoolMembership, SchoolRole


class MembershipError(ValueError):
    """The request cannot be made or decided. The message is for users."""


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def domain_is_trusted(email: str, municipality) -> bool:
    return bool(email_domain(email)) and email_domain(email) in municipality.school_domains


def is_leader_of(user, school) -> bool:
    if not user.is_authenticated:
        return False
    return (
        SchoolMembership.objects.approved()
        .filter(
            user=user,
            school=school,
            role__in=[SchoolRole.PRINCIPAL, SchoolRole.DEPARTMENT_HEAD],
        )
        .exists()
    )


def leaders_of(school) -> list:
    """The school's approved, active principals and department heads (who approve its staff
    and, where the municipality asks for it, its dearer bookings)."""
    memberships = (
        SchoolMembership.objects.approved()
        .filter(school=school, role__in=[SchoolRole.PRINCIPAL, SchoolRole.DEPARTMENT_HEAD])
        .select_related("user")
        .order_by("user_id")
    )
    return [m.user for m in memberships]


def can_approve(user, membership: SchoolMembership) -> bool:
    """Operators, the municipality's consultants and the school's leaders."""
    if not user.is_authenticated or membership.user_id == user.pk:
        return False
    if user.is_superuser:
        return True
    if user.consultant_municipality is not None:
        return user.consultant_municipality.pk == membership.school.municipality_id
    return is_leader_of(user, membership.school)


def pending_for(user):
    """Memberships waiting that this user may approve (leaders: their schools)."""
    qs = SchoolMembership.objects.pending().select_related("user", "school")
    if user.is_superuser:
        return qs
    if user.consultant_municipality is not None:
        return qs.for_consultant(user)
    schools = SchoolMembership.objects.approved().filter(
        user=user, role__in=[SchoolRole.PRINCIPAL, SchoolRole.DEPARTMENT_HEAD]
    )
    return qs.filter(school__in=schools.values("school")).exclude(user=user)


@transaction.atomic
def request_membership(user, school, role: str) -> SchoolMembership:
    """A staff member asks to join a school.

    Teachers with an address on the municipality's school domains are approved at once.
    Leader roles (who may approve others) always wait for a consultant or a leader.
    """
    if not user.email_confirmed:
        raise MembershipError(_("Confirm your e-mail address first."))
    if role not in SchoolRole.values:
        raise MembershipError(_("Choose a role."))
    try:
        with transaction.atomic():
            membership = SchoolMembership.objects.create(
                user=user, school=school, role=role, is_approved=False
            )
    except IntegrityError as error:
        raise MembershipError(_("You have already asked to join this school.")) from error
    if role == SchoolRole.TEACHER and domain_is_trusted(user.email, school.municipality):
        membership.is_approved = True
        membership.approved_at = timezone.now()
        membership.save(update_fields=["is_approved", "approved_at"])
    return membership


@transaction.atomic
def approve(membership: SchoolMembership, *, by) -> SchoolMembership:
    locked = (
        SchoolMembership.objects.select_for_update().select_related("school").get(pk=membership.pk)
    )
    if not can_approve(by, locked):
        raise MembershipError(_("You may not approve this person."))
    if locked.is_approved:
        return locked  # already approved: nothing to do
    locked.is_approved = True
    locked.approved_at = timezone.now()
    locked.approved_by = by
    locked.save(update_fields=["is_approved", "approved_at", "approved_by"])
    _notify_approved(locked)
    return locked


@transaction.atomic
def decline(membership: SchoolMembership, *, by) -> None:
    locked = (
        SchoolMembership.objects.select_for_update().select_related("school").get(pk=membership.pk)
    )
    if not can_approve(by, locked):
        raise MembershipError(_("You may not decide on this person."))
    if locked.is_approved:
        raise MembershipError(_("This person is already approved."))
    locked.delete()


def _notify_approved(membership: SchoolMembership) -> None:
    notify(
        kind="school.membership_approved",
        key=f"school.membership_approved:membership={membership.pk}",
        to_email=membership.user.email,
        user=membership.user,
        template="school_membership_approved",
        context={
            "recipient_name": membership.user.get_full_name(),
            "school_name": membership.school.name,
            "membership": membership,  # its role's label is looked up when written
            "action_url": absolute_url("/"),
        },
    )
