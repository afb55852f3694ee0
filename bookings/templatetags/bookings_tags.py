"""Template tags other apps use to show bookings (e.g. on "My association")."""

from html import escape

from django import template
from django.db.models import Avg, Count
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, get_current_timezone_name
from django.utils.translation import get_language, gettext

from bookings import services
from bookings.models import Booking, CalendarFeed, Evaluation
from bookings.states import WAITING_STATES, Actor, BookingState
from portal import addresses
from portal.templatetags.portal_format import local_date

register = template.Library()


@register.filter
def booking_state_label(value: str) -> str:
    """The label of a booking state's code, in the active language (an e-mail stores the
    code and is written in its recipient's language)."""
    return str(BookingState(value).label) if value in BookingState.values else value


class _Dates:
    """Dates written as ``local_date`` writes them, escaped, each day once per page render:
    rows share deadlines and days, and Django's formatting costs ≈ 100 calls each time. A
    moment (DATETIME_FORMAT) is its day's text and the time when the language's format is
    the date's followed by " H:i" (Danish and English)."""

    def __init__(self):
        self.zone = get_current_timezone()
        self.days: dict = {}
        self.with_time = get_format("DATETIME_FORMAT") == get_format("DATE_FORMAT") + " H:i"

    def day(self, value) -> str:
        local = value.astimezone(self.zone)
        day = local.date()
        if day not in self.days:
            self.days[day] = escape(local_date(local))
        return self.days[day]

    def moment(self, value) -> str:
        if not self.with_time:
            return escape(local_date(value.astimezone(self.zone), "DATETIME_FORMAT"))
        return f"{self.day(value)} {value.astimezone(self.zone):%H:%M}"


def _booking_row(booking, show_school: bool, dates: _Dates, address: tuple[str, str]) -> str:
    other = booking.school.name if show_school else booking.offer.association.name
    deadline = ""
    if booking.state in WAITING_STATES:
        text = escape(gettext("answer by %(d)s")) % {"d": dates.day(booking.answer_deadline)}
        deadline = f'<small class="text-body-secondary">{text}</small>'
    return (
        f'<li class="list-group-item">\n  <a href="{address[0]}{booking.pk}{address[1]}">'
        f"{escape(booking.offer.title)}</a>\n  – {escape(other)}\n"
        f"  · {dates.moment(booking.starts_at)}\n"
        f'  · <span class="badge text-bg-secondary">{escape(str(BookingState(booking.state).label))}</span>\n'
        f"  {deadline}\n</li>\n"
    )


@register.simple_tag(takes_context=True)
def booking_rows(context, bookings, show_school: bool = False) -> str:
    """The bookings of a list ("My school", the association's and the consultant's lists),
    one ``<li>`` each: title, the association (or with ``show_school`` the school), start,
    state and, while it waits, the answer deadline. Needs the bookings' offers and their
    associations (or schools) loaded. Drawn in Python, each value escaped once with the
    standard library: a list shows up to 60 rows, and a template or a tag per row cost
    ≈ 180 calls each. The page's lists share their dates (``_Dates``)."""
    memo = ("booking_rows_dates", get_language(), get_current_timezone_name())
    dates = context.render_context.get(memo)
    if dates is None:
        dates = context.render_context[memo] = _Dates()
    address = addresses.around("bookings:detail")
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped above
        "".join(_booking_row(b, show_school, dates, address) for b in bookings)
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
