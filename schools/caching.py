"""What a change of a school, its staff, needs or events makes stale: that school's cached
"My school" lists (``portal.fragments``), and a membership its user's cached roles
(``generations.user_roles``). Connected in ``SchoolsConfig.ready()``."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from portal import fragments, generations

from .models import (
    EventParticipation,
    NeedAnswer,
    School,
    SchoolEvent,
    SchoolMembership,
    SchoolNeed,
)


def school_lists(school_id) -> list[str]:
    return [fragments.name(School, school_id)]


def _via(parent: str):
    """The lists of the school of the row's ``parent`` (a need, an event)."""

    def names(row) -> list[str]:
        try:
            return school_lists(getattr(row, parent).school_id)
        except ObjectDoesNotExist:  # the parent went first in a cascade: every school
            return [generations.CATALOG]

    return names


def connect() -> None:
    generations.on_role_change(SchoolMembership)  # its user's cached roles (accounts.roles)
    generations.on_change(School, lambda school: school_lists(school.pk))
    for model in (SchoolMembership, SchoolNeed, SchoolEvent):
        generations.on_change(model, lambda row: school_lists(row.school_id))
    generations.on_change(NeedAnswer, _via("need"))
    generations.on_change(EventParticipation, _via("event"))
