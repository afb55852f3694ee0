"""Who may see and do what on the needs board."""

from django.http import Http404

from associations.models import Association
from municipalities.models import Municipality
from portal.ids import client_pk

from .models import School, SchoolNeed


def staff_schools(user) -> list[School]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [m.school for m in user.active_school_memberships]


def association_municipality_ids(user) -> set[int]:
    """Municipalities where one of the user's approved associations offers."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Association.objects.published()
        .filter(memberships__user=user)
        .values_list("municipalities", flat=True)
    )


def can_post_need(user, school: School) -> bool:
    return school in staff_schools(user)


def is_school_side(user, need: SchoolNeed) -> bool:
    """The school's own staff: they edit, close and see all answers."""
    return need.school_id in {s.pk for s in staff_schools(user)}


def can_view_need(user, need: SchoolNeed) -> bool:
    if is_school_side(user, need):
        return True
    if need.school.municipality_id in association_municipality_ids(user):
        return need.is_open
    consultant_municipality: Municipality | None = getattr(user, "consultant_municipality", None)
    if getattr(user, "is_authenticated", False) and consultant_municipality is not None:
        return consultant_municipality.pk == need.school.municipality_id
    return False


def can_answer_need(user, need: SchoolNeed) -> bool:
    return need.is_open and need.school.municipality_id in association_municipality_ids(user)


def user_schools(user) -> list[School]:
    """The schools where the user is an approved member, in the order of their tabs."""
    return [m.school for m in user.active_school_memberships]


def school_for(user, school_pk: int | None = None) -> School:
    """One of the user's approved schools (the first when no id is given); 404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    schools = user_schools(user)
    if not schools:
        raise Http404
    if school_pk in (None, ""):
        return schools[0]
    school_pk = client_pk(school_pk)
    for school in schools:
        if school.pk == school_pk:
            return school
    raise Http404
