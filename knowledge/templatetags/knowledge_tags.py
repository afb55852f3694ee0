"""The knowledge bank on pages of lower apps, without those apps knowing it: the offer page
(catalog/offer_detail.html) shows the published good examples of the offer, and a completed
booking's page (bookings/detail.html) offers to propose it as a good example."""

from django import template

from bookings.states import BookingState

from ..models import Item, Kind
from ..services import offers_with_examples, side_for_booking, visible_items

register = template.Library()

OFFER_EXAMPLES = 3


@register.inclusion_tag("knowledge/_offer_examples.html", takes_context=True)
def offer_good_examples(context, offer):
    request = context.get("request")
    if request is None or offer.pk not in offers_with_examples():
        return {"examples": []}
    examples = (
        visible_items(request)
        .filter(kind=Kind.EXAMPLE, offer=offer)
        .select_related("school")
        .prefetch_related("photos")
        .order_by("-approved_at", "pk")[:OFFER_EXAMPLES]
    )
    return {"examples": list(examples)}


@register.inclusion_tag("knowledge/_propose_booking.html", takes_context=True)
def propose_good_example(context, booking):
    """For school staff and association members of a completed booking: the button that
    proposes it as a good example, or the link to the proposal already made."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or booking.state != BookingState.COMPLETED:
        return {}
    side = side_for_booking(user, booking)
    if side is None:
        return {}
    existing = Item.objects.live().filter(booking=booking, source=side).first()
    return {
        "booking": booking,
        "existing": existing,
        "mine": existing and existing.proposed_by_id == user.pk,
    }
