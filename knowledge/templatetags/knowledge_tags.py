"""The knowledge bank on pages of lower apps, without those apps knowing it: the offer page
(catalog/offer_detail.html) shows the published good examples of the offer."""

from django import template

from ..models import Kind
from ..services import visible_items

register = template.Library()

OFFER_EXAMPLES = 3


@register.inclusion_tag("knowledge/_offer_examples.html", takes_context=True)
def offer_good_examples(context, offer):
    request = context.get("request")
    if request is None:
        return {"examples": []}
    examples = (
        visible_items(request)
        .filter(kind=Kind.EXAMPLE, offer=offer)
        .select_related("school")
        .prefetch_related("photos")
        .order_by("-approved_at", "pk")[:OFFER_EXAMPLES]
    )
    return {"examples": list(examples)}
