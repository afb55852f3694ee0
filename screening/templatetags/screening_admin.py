from django import template
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from screening import services
from screening.checks import screened_models
from screening.workflow import ScreeningState, Transition

OTHER_EVENTS = {
    "start_edit": _("Started an edit of the approved version"),
    "note": _("Note"),
    "consultant_edit": _("Edited the text"),
}

register = template.Library()


@register.inclusion_tag("admin/screening/_waiting.html", takes_context=True)
def screening_waiting(context):
    """The count of waiting submissions for the admin index (the consultant's municipality)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_superuser or user.has_perm("associations.view_offer")):
        return {"show": False}
    query = "?state__in=submitted,in_review"
    counts = services.waiting_counts(user)
    rows = [
        (
            capfirst(model._meta.verbose_name_plural),
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + query,
            counts[model._meta.model_name],
        )
        for model in screened_models()
    ]
    alerts = [
        (label, _changelist(model) + query, count)
        for model in screened_models()
        for label, count, query in model.screening_alerts(model.objects.for_consultant(user))
    ]
    return {"show": True, "rows": rows, "alerts": alerts}


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@register.filter
def state_label(value: str) -> str:
    """The translated label of a screening state code."""
    return str(ScreeningState(value).label) if value in ScreeningState.values else value


@register.filter
def action_label(value: str) -> str:
    """The translated label of a transition (or the other events on the activity list)."""
    if value in Transition.values:
        return str(Transition(value).label)
    return str(OTHER_EVENTS.get(value, value))
