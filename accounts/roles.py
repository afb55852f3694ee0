"""A signed-in user's roles, read once and cached until a membership changes.

Every page needs them (the navigation shows what the user may do, views check access), and
reading them costs three queries: school memberships, association memberships and the
consultant post. They change rarely, so they are kept in the shared cache under the
``roles`` generation, which any save or delete of a membership, consultant, school,
association or municipality bumps (``portal.apps.ROLE_MODELS``). A change is therefore seen
by the next request, as before; a revoked membership gives no access after it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from portal import generations

TIMEOUT = 3600
#: Part of the key: raise it when Roles or the models it holds change shape, so that a
#: deploy never reads a snapshot pickled by the previous code.
VERSION = 2


@dataclass
class Roles:
    school_memberships: list
    association_memberships: list
    consultant_municipality: object | None


def _load(user) -> Roles:
    consultant = getattr(user, "consultant", None)
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
        consultant_municipality=consultant.municipality
        if consultant is not None and consultant.is_active
        else None,
    )


def for_user(user) -> Roles:
    (generation,) = generations.read(generations.ROLES)
    key = f"roles:v{VERSION}:{generation}:{user.pk}"
    roles = cache.get(key)
    if roles is None:
        roles = _load(user)
        cache.set(key, roles, TIMEOUT)
    return roles
