"""How a signed-in person without a role joins an association, shown on "My account"
(accounts/home.html) without the accounts app knowing the associations."""

from django import template

from associations.forms import JoinRequestForm
from associations.models import Invitation, JoinRequest

register = template.Library()


@register.inclusion_tag("associations/_start_pending.html")
def association_pending(user):
    """Invitations to the person's address and their requests to join, still open."""
    return {
        "pending_requests": JoinRequest.objects.pending()
        .filter(user=user)
        .select_related("association"),
        "invitations": Invitation.objects.pending()
        .filter(email__iexact=user.email)
        .select_related("association"),
    }


@register.inclusion_tag("associations/_start_cards.html", takes_context=True)
def association_cards(context, user):
    """Register a new association, or ask to join one (cards of the "My account" row)."""
    return {"join_form": JoinRequestForm(user=user), "csrf_token": context.get("csrf_token")}
