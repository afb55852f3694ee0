"""The one way the partner's views find a partnership or an action plan: through the
association's access helper (404 to strangers), then only that association's rows; and who
reads the approved plan (printable page and PDF): the partner, the schools, the consultants."""

from django.http import Http404

from associations.permissions import get_association_for
from portal.ids import client_pk
from screening.workflow import S

from .meetings import StatusMeeting
from .models import ActionPlan, Partnership


def partnership_for(user, slug: str, partnership_id) -> Partnership:
    association, _membership = get_association_for(user, slug)
    partnership = (
        Partnership.objects.for_association(association)
        .filter(pk=client_pk(partnership_id))
        .first()
    )
    if partnership is None:
        raise Http404
    return partnership


def plan_for(user, slug: str, plan_id) -> ActionPlan:
    association, _membership = get_association_for(user, slug)
    plan = (
        ActionPlan.objects.for_association(association)
        .select_related("partnership__municipality", "partnership__association")
        .filter(pk=client_pk(plan_id))
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def may_read_partnership(user, partnership: Partnership) -> bool:
    """The partner's members, staff of the partnership's schools and the consultants of its
    municipality read a partnership's approved plan; nobody else (operators use the admin)."""
    if not getattr(user, "is_authenticated", False):
        return False
    consultant_municipality = user.consultant_municipality
    if consultant_municipality is not None and consultant_municipality.pk == (
        partnership.municipality_id
    ):
        return True
    if partnership.association_id is not None and partnership.association_id in {
        m.association_id for m in user.association_memberships
    }:
        return True
    school_ids = [m.school_id for m in user.active_school_memberships]
    return bool(school_ids) and partnership.schools.filter(pk__in=school_ids).exists()


def approved_plan_for(user, plan_id) -> ActionPlan:
    """A live action plan in force (approved), for those who may read its partnership; 404
    for everyone else and for plans not approved. While an edit of the plan is screened, the
    live row is still the approved version (the edit is a row of its own)."""
    plan = (
        ActionPlan.objects.live()
        .filter(pk=client_pk(plan_id), state=S.APPROVED)
        .select_related(
            "partnership__municipality",
            "partnership__association",
            "partnership__institution",
            "partnership__contact",
        )
        .first()
    )
    if plan is None or not may_read_partnership(user, plan.partnership):
        raise Http404
    return plan


# --- The consultant's pages: their municipality's partnerships (operators: every one) -------


def consultant_partnerships(user):
    """The partnerships a consultant works with; 404 for everyone else."""
    if not user.is_authenticated or not (user.is_superuser or user.is_consultant):
        raise Http404
    return Partnership.objects.for_consultant(user)


def consultant_partnership(user, partnership_id) -> Partnership:
    partnership = consultant_partnerships(user).filter(pk=client_pk(partnership_id)).first()
    if partnership is None:
        raise Http404
    return partnership


def consultant_meeting(user, meeting_id) -> StatusMeeting:
    if not user.is_authenticated or not (user.is_superuser or user.is_consultant):
        raise Http404
    meeting = (
        StatusMeeting.objects.for_consultant(user)
        .select_related("partnership__municipality", "partnership__association")
        .filter(pk=client_pk(meeting_id))
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def participant_meeting(user, meeting_id) -> StatusMeeting:
    """A meeting for whoever may read its partnership (``may_read_partnership``: the
    partner's members, staff of its schools, the municipality's consultants) and operators;
    404 for everyone else."""
    meeting = (
        StatusMeeting.objects.select_related("partnership__municipality")
        .filter(pk=client_pk(meeting_id))
        .first()
    )
    if meeting is None or not (
        user.is_superuser or may_read_partnership(user, meeting.partnership)
    ):
        raise Http404
    return meeting
