"""A signed-in user's roles: what the navigation shows and the access checks ask.

Read from the database once per request (``User.roles``, one query per kind: approved school
memberships with their schools, municipalities and school-year settings; association
memberships with their associations; the active consultant post with its municipality).
Nothing is kept between requests, so a membership removed or approved counts on the very
next request.
"""

from __future__ import annotations

from dataclasses import dataclass

from municipalities.models import Consultant


@dataclass
class Roles:
    school_memberships: list
    association_memberships: list
    consultant_municipality: object | None


def for_user(user) -> Roles:
    consultant = (
        Consultant.objects.filter(user=user, is_active=True).select_related("municipality").first()
    )
    return Roles(
        school_memberships=list(
            user.school_memberships.filter(is_approved=True).select_related(
                # The booking form checks holidays against the municipality's settings.
                "school",
                "school__municipality",
                "school__municipality__school_year_settings",
            )
        ),
        association_memberships=list(user.associationmembership_set.select_related("association")),
        consultant_municipality=consultant.municipality if consultant is not None else None,
    )
