"""Template tags other apps use to show bookings (e.g. on "My association")."""

from django import template

register = template.Library()


@register.inclusion_tag("bookings/_association_bookings.html")
def association_bookings(association, user):
    """Incoming requests first, then upcoming and past (filled in by the bookings app)."""
    return {"association": association, "user": user, "requests": [], "upcoming": [], "past": []}
