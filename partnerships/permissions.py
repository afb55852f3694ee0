"""The one way the partner's views find a partnership or an action plan: through the
association's access helper (404 to strangers), then only that association's rows."""

from django.http import Http404

from associations.permissions import get_association_for
from portal.ids import client_pk

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
