"""Template tags other apps use to show bookings (e.g. on "My association")."""

from django import template
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from bookings import services
from bookings.models import Booking, CalendarFeed, Evaluation
from bookings.states import WAITING_STATES, Actor, BookingState
from portal.templatetags.portal_format import local_date

register = template.Library()


@register.filter
def booking_state_label(value: str) -> str:
    """The label of a booking state's code, in the active language (an e-mail stores the
    code and is written in its recipient's language)."""
    return str(BookingState(value).label) if value in BookingState.values else value


@register.simple_tag
def booking_row(booking, show_school: bool = False) -> str:
    """One booking in a list ("My school", the association's and the consultant's lists):
    title, the association (or with ``show_school`` the school), start, state and, while it
    waits, the answer deadline. Needs the booking's offer and its association (or school)
    loaded; a tag rather than an included template, as a list shows up to 60 of them."""
    other = booking.school.name if show_school else booking.offer.association.name
    deadline = ""
    if booking.state in WAITING_STATES:
        when = local_date(template_localtime(booking.answer_deadline))
        deadline = format_html(
            '<small class="text-body-secondary">{}</small>',
            gettext("answer by %(d)s") % {"d": when},
        )
    return format_html(
        '<li class="list-group-item">\n  <a href="{}">{}</a>\n  – {}\n  · {}\n'
        '  · <span class="badge text-bg-secondary">{}</span>\n  {}\n</li>\n',
        reverse("bookings:detail", args=[booking.pk]),
        booking.offer.title,
        other,
        local_date(template_localtime(booking.starts_at), "DATETIME_FORMAT"),
        BookingState(booking.state).label,
        deadline,
    )


@register.inclusion_tag("bookings/_association_bookings.html", takes_context=True)
def association_bookings(context, association, user):
    """Requests waiting for the association's answer first (with links to answer), then
    the dates it proposed that wait for the school, then upcoming and past.

    Shows nothing to someone who is not a member of the association.
    """
    empty = {
        "association": association,
        "user": user,
        "requests": [],
        "waiting_for_school": [],
        "upcoming": [],
        "past": [],
    }
    if not getattr(user, "is_authenticated", False) or not any(
        m.association_id == association.pk for m in user.association_memberships
    ):
        return empty
    bookings = Booking.objects.for_association(association).select_related(
        "offer", "school", "offer__association"
    )
    stats = Evaluation.objects.filter(
        booking__offer__association=association, side=Actor.SCHOOL
    ).aggregate(avg=Avg("rating"), n=Count("id"))
    feed = CalendarFeed.objects.filter(association=association).first()
    request = context.get("request")
    return {
        **empty,
        # Only what waits for the association; a date it proposed waits for the school.
        "requests": bookings.waiting_for(Actor.ASSOCIATION).order_by("answer_deadline"),
        "waiting_for_school": bookings.waiting_for_other_side(Actor.ASSOCIATION).order_by(
            "answer_deadline"
        ),
        "upcoming": bookings.upcoming(),
        "past": bookings.past().order_by("-starts_at")[:30],
        "average": stats["avg"],
        "evaluation_count": stats["n"],
        "feed": feed,
        "feed_url": services.feed_address(feed),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
