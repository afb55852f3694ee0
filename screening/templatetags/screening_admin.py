from django import template
from django.urls import reverse

from screening import services

register = template.Library()


@register.inclusion_tag("admin/screening/_waiting.html", takes_context=True)
def screening_waiting(context):
    """The count of waiting submissions for the admin index (the consultant's municipality)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_superuser or user.has_perm("associations.view_offer")):
        return {"show": False}
    query = "?state__in=submitted,in_review"
    return {
        "show": True,
        "counts": services.waiting_counts(user),
        "associations_url": reverse("admin:associations_association_changelist") + query,
        "offers_url": reverse("admin:associations_offer_changelist") + query,
    }
