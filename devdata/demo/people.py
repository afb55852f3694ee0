"""The demo's municipalities and the people who log in: the consultant, the operator, school
staff and association members, one login per role, all with the demo password."""

from datetime import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from associations.models import Association, AssociationMembership
from municipalities.models import Consultant, Municipality
from schools.models import School, SchoolMembership

from . import data


def user(email: str, name: str, **extra) -> User:
    """The account with this e-mail, created (confirmed, demo password) when it is missing."""
    account, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "email_confirmed_at": timezone.now(), **extra}
    )
    if created:
        account.set_password(data.DEMO_PASSWORD)
        account.save()
    return account


def create_municipalities() -> Municipality:
    """The demo municipality (returned) and a neighbour with nothing in it."""
    municipality, _ = Municipality.objects.update_or_create(
        code=data.MUNICIPALITY["code"], defaults=data.MUNICIPALITY
    )
    Municipality.objects.update_or_create(
        code=data.OTHER_MUNICIPALITY["code"], defaults=data.OTHER_MUNICIPALITY
    )
    return municipality


def create_consultant(municipality: Municipality) -> None:
    """The municipality's consultant, staff in the admin's Consultant group."""
    consultant = user(data.CONSULTANT["email"], data.CONSULTANT["full_name"], is_staff=True)
    Consultant.objects.update_or_create(
        user=consultant,
        defaults={"municipality": municipality, "title": data.CONSULTANT["title"]},
    )
    group, _ = Group.objects.get_or_create(name="Consultant")
    consultant.groups.add(group)


def create_operator() -> None:
    """The superuser who runs the installation."""
    user(data.OPERATOR["email"], data.OPERATOR["full_name"], is_staff=True, is_superuser=True)


def create_school_staff(schools: dict[str, School], now: datetime) -> None:
    """A teacher, a department head and a principal, approved at their schools."""
    for email, name, school_slug, role in data.SCHOOL_STAFF:
        SchoolMembership.objects.update_or_create(
            user=user(email, name),
            school=schools[school_slug],
            defaults={"role": role, "is_approved": True, "approved_at": now},
        )


def create_association_members(associations: dict[str, Association]) -> None:
    """The administrators of two associations."""
    for email, name, association_slug, role in data.ASSOCIATION_MEMBERS:
        AssociationMembership.objects.update_or_create(
            user=user(email, name),
            association=associations[association_slug],
            defaults={"role": role},
        )


def logins() -> list[tuple[str, str]]:
    """(role, e-mail) of every demo login, in the order `seed_demo` prints them."""
    return [
        ("Konsulent (consultant)", data.CONSULTANT["email"]),
        *[(f"Skole: {role}", email) for email, _n, _s, role in data.SCHOOL_STAFF],
        *[(f"Forening: {role}", email) for email, _n, _a, role in data.ASSOCIATION_MEMBERS],
        ("Operatør (superuser)", data.OPERATOR["email"]),
    ]
