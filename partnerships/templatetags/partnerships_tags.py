"""Links to the partnerships pages, loaded by "My association" (associations/detail.html)
and "My school" (bookings/my_school.html) without those apps knowing the partnerships."""

from django import template

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
