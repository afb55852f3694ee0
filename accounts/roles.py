"""A signed-in user's account and roles, read once and cached until they change.

Every signed-in request loads the user (``accounts.backends.CachedModelBackend``) and most
need the roles (the navigation shows what the user may do, views check access): four
queries, the user, school memberships, association memberships and the consultant post.
They change rarely, so they are kept in the shared cache, checked against two generations (see
``portal.generations``): ``roles``, which any save or delete of a school, municipality or
school-year settings bumps (``portal.apps.ROLE_MODELS``), and the user's own counter, which a
save or delete of the account, of one of the user's memberships or consultant post, or of
one of the user's associations bumps (``portal.apps.USER_ROLE_MODELS``).
A change is therefore seen by the next request; a revoked membership gives no access after
it is saved, a deactivated account or a changed password ends the session at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal import generations
from portal.cache import pickled_shape

TIMEOUT = 3600
#: Part of the key: raise it when Roles changes shape, so that a deploy never reads a
#: snapshot pickled by the previous code. The models' columns are in the key by themselves.
VERSION = 3
#: The models pickled in the cache with a user.
PICKLED_MODELS = [
    "accounts.User",
    "schools.SchoolMembership",
    "schools.School",
    "municipalities.Municipality",
    "municipalities.SchoolYearSettings",
    "associations.AssociationMembership",
    "associations.Association",
    "municipalities.Consultant",
]


def _shape() -> str:
    """Changes with the pickled models' columns: a migration that adds or renames one
    changes the keys, so new code never unpickles an account without the new field."""
    return pickled_shape(*PICKLED_MODELS)


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


def _keys(user_pk) -> tuple[str, str]:
    """The cache keys of the user's account and roles."""
    suffix = f"v{VERSION}-{_shape()}:{user_pk}"
    return f"user:{suffix}", f"roles:{suffix}"


def _counters(user_pk) -> tuple[str, str]:
    return generations.ROLES, generations.user(user_pk)


def for_user(user) -> Roles:
    _user_key, key = _keys(user.pk)
    numbers, found = generations.read_with(_counters(user.pk), [key])
    roles = found.get(key)
    if roles is None:
        roles = _load(user)
        generations.store(key, roles, numbers, TIMEOUT)
    return roles


def cached_user(user_pk):
    """The user with this primary key, with their roles attached, or None: one round trip
    to the shared cache when nothing changed, no query."""
    from django.contrib.auth import get_user_model

    user_key, roles_key = _keys(user_pk)
    numbers, found = generations.read_with(_counters(user_pk), [user_key, roles_key])
    user = found.get(user_key)
    if user is None:
        user = get_user_model()._default_manager.filter(pk=user_pk).first()
        if user is None:
            return None
        generations.store(user_key, user, numbers, TIMEOUT)
    roles = found.get(roles_key)
    if roles is None:
        roles = _load(user)
        generations.store(roles_key, roles, numbers, TIMEOUT)
    user.__dict__["roles"] = roles  # what User.roles (a cached_property) would read
    return user
