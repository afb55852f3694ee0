"""Links to the partnerships pages, loaded by "My association" (associations/detail.html)
and "My school" (bookings/my_school.html) without those apps knowing the partnerships."""

from django import template

from .. import meeting_services
from ..meetings import StatusMeeting
from ..models import Partnership

register = template.Library()


@register.inclusion_tag("partnerships/_link.html")
def association_partnerships_link(association):
    return {
        "count": Partnership.objects.for_association(association).count(),
        "url_name": "partnerships:association",
        "arg": association.slug,
    }


@register.inclusion_tag("partnerships/_link.html")
def school_partnerships_link(school):
    return {
        "count": Partnership.objects.for_school(school).count(),
        "url_name": "partnerships:school",
        "school": school,
    }


@register.inclusion_tag("partnerships/_meetings.html")
def status_meetings(partnership):
    """The partnership's status meetings and their minutes, as both sides see them: no
    cancelled meetings, and never the consultant's internal notes (not in the template)."""
    meetings = list(
        StatusMeeting.objects.filter(partnership=partnership)
        .exclude(state=StatusMeeting.State.CANCELLED)
        .prefetch_related("goal_statuses")
        .order_by("-starts_at")
    )
    for meeting in meetings:
        meeting.agenda = meeting_services.agenda(meeting) if meeting.has_minutes else []
    return {"meetings": meetings}
