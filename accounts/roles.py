"""A signed-in user's roles: what the navigation shows and the access checks ask.

Two parts, both read at most once per request (``User.roles``):

- the *summary*: the navigation's flags (school staff, school leader, association member,
  consultant) and the ids of the user's approved schools and of the consultant's municipality.
  Plain, non-secret data, kept as JSON in the shared cache under the user's generation
  (``generations.user_roles``), which every save or deletion of one of the user's school or
  association memberships or consultant post bumps when its transaction commits (wired by
  the apps that own them: ``schools.caching``, ``associations.caching``,
  ``municipalities.apps``). The next request after such a change reads it again.
- the full rows (school memberships with their schools, municipalities and school-year
  settings; association memberships with their associations; the consultant's municipality),
  read from the database, one query per kind, only when a view asks for that kind, and not at
  all when the summary says the user has none of it.

So an approval counts on the next request (the summary is read again), and a revoked role at
once (the rows come from the database). Without ``ROLES_CACHE_ENABLED`` (the tests' default)
the summary is derived from the rows, read on every request as before.
"""

from __future__ import annotations

import functools
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.functional import cached_property

from municipalities.models import Consultant
from portal import compiled, generations
from portal.compiled import ID_MARK, Compiled

#: How long an unchanged summary is kept (a change replaces it at once).
SUMMARY_SECONDS = 24 * 3600
#: Part of the summary's key: a new version when its fields change.
SUMMARY_VERSION = 1


def _school_memberships(user, only=()) -> list:
    query, parts = _approved_memberships(tuple(only))
    return [_membership(row, parts) for row in query.rows(user.pk)]


#: The models a school membership is read with, by their path from it; each is the one
#: before's relation (the booking form checks holidays against the municipality's settings).
PATHS = ("", "school", "school__municipality", "school__municipality__school_year_settings")


@functools.lru_cache(maxsize=8)
def _approved_memberships(only: tuple[str, ...]) -> tuple[Compiled, tuple]:
    """Approved school memberships with their schools, municipalities and school-year
    settings (``only``: just these columns, as ``QuerySet.only()`` names them from the
    membership), compiled once per process and run per user (``portal.compiled``); and each
    model's path, fields and the relation that links it to the one before, for
    ``_membership``."""
    # The model through the user's reverse relation: schools sit above accounts, which
    # does not import them (docs/ARCHITECTURE.md's layers).
    model = get_user_model()._meta.get_field("school_memberships").related_model
    parts, columns = [], []
    related, link = model, None
    for depth, path in enumerate(PATHS):
        if path:
            link = related._meta.get_field(path.rsplit("__", 1)[-1])
            related = link.related_model
        prefix = f"{path}__" if path else ""
        own = {n.removeprefix(prefix) for n in only if n.startswith(prefix)}
        own = {n for n in own if "__" not in n}
        if depth + 1 < len(PATHS):  # the next one's key, where it is a column of this one
            own.add(PATHS[depth + 1].rsplit("__", 1)[-1])
        if link is not None and not link.concrete:  # a reverse one-to-one: its own key
            own.add(link.field.name)
        model_fields = compiled.fields(related, tuple(sorted(own)) if only else None)
        parts.append((related, model_fields, link))
        columns += compiled.names(model_fields, prefix)
    memberships = model.objects.filter(is_approved=True, user_id=ID_MARK)
    return Compiled(memberships.values_list(*columns), ID_MARK), tuple(parts)


def _membership(row: tuple, parts: tuple):
    """A membership whose school, municipality and settings (None if it has none) are loaded
    as ``select_related`` loads them."""
    loaded, start = [], 0
    for model, model_fields, link in parts:
        end = start + len(model_fields)
        loaded.append(compiled.instance(model, model_fields, row[start:end]))
        if link is not None:  # the one before's relation to it
            link.set_cached_value(loaded[-2], loaded[-1])
            if not link.concrete and loaded[-1] is not None:  # and back, as select_related
                link.field.set_cached_value(loaded[-1], loaded[-2])
        start = end
    return loaded[0]


def _association_memberships(user) -> list:
    return list(user.associationmembership_set.select_related("association"))


def _consultant_municipality(user):
    consultant = (
        Consultant.objects.filter(user=user, is_active=True).select_related("municipality").first()
    )
    return consultant.municipality if consultant is not None else None


#: Each kind of full rows (named as its part of the summary) and how it is read.
READERS = {
    "schools": _school_memberships,
    "association": _association_memberships,
    "consultant": _consultant_municipality,
}


class Roles:
    """The roles of ``user``: the summary, and each kind of full rows when first asked."""

    def __init__(self, user):
        self.user = user
        self._rows = {}

    @property
    def school_memberships(self) -> list:
        return self._get("schools", [])

    @property
    def association_memberships(self) -> list:
        return self._get("association", [])

    @property
    def consultant_municipality(self):
        return self._get("consultant", None)

    def load_school_memberships(self, only=()) -> list:
        """The school memberships, read from the database without asking the cached summary
        first: for views that only school staff use (the booking form), where the summary
        would only confirm what the query finds. ``only``: the columns the view reads (as
        ``QuerySet.only()`` names them from the membership); the rows are this request's
        school memberships, so the rest of the request gets them too (a column left out
        costs a query when read)."""
        if "schools" not in self._rows:
            self._rows["schools"] = _school_memberships(self.user, only)
        return self._rows["schools"]

    def _get(self, kind: str, none):
        """The rows of ``kind``; ``none`` without a query when the cached summary says the
        user has none of them."""
        if kind in self._rows:  # read from the database in this request: they decide
            return self._rows[kind]
        if settings.ROLES_CACHE_ENABLED and not self.summary[kind]:
            return none
        return self._read(kind)

    def _read(self, kind: str):
        if kind not in self._rows:
            self._rows[kind] = READERS[kind](self.user)
        return self._rows[kind]

    @cached_property
    def summary(self) -> dict:
        """``{"schools": [ids], "leader": bool, "association": bool, "consultant": id|None}``."""
        if not settings.ROLES_CACHE_ENABLED:
            return self._summarize()
        key = f"roles:v{SUMMARY_VERSION}:{self.user.pk}"
        names = (generations.user_roles(self.user.pk),)
        text = generations.cached(
            key, names, lambda: json.dumps(self._summarize()), SUMMARY_SECONDS
        )
        return json.loads(text)

    def _summarize(self) -> dict:
        """The summary from the full rows (which this request then has at hand)."""
        schools = self._read("schools")
        consultant = self._read("consultant")
        return {
            "schools": [m.school_id for m in schools],
            "leader": any(m.is_leader for m in schools),
            "association": bool(self._read("association")),
            "consultant": consultant.pk if consultant is not None else None,
        }

    def navigation(self) -> dict:
        """The flags the navigation shows, from the summary alone."""
        summary = self.summary
        return {
            "school": bool(summary["schools"]),
            "school_leader": summary["leader"],
            "association": summary["association"],
            "consultant": summary["consultant"] is not None,
        }


def for_user(user) -> Roles:
    return Roles(user)
