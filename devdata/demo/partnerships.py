"""The demo's partnerships: the municipality's focus areas, two leisure institutions and two
partnerships (an active one with an association, a proposed one with a youth club)."""

from datetime import date

from accounts.models import User
from associations.models import Association
from municipalities.models import Municipality
from partnerships import services
from partnerships.focus import create_defaults
from partnerships.models import LeisureInstitution, Partnership
from schools.models import School

from . import data


def create_focus_areas() -> None:
    """Every municipality gets the default focus areas (as the data migration gave the ones
    that existed before)."""
    for municipality in Municipality.objects.all():
        create_defaults(municipality)


def create_leisure_institutions(municipality: Municipality) -> None:
    for name, kind, address in data.LEISURE_INSTITUTIONS:
        LeisureInstitution.objects.update_or_create(
            municipality=municipality, name=name, defaults={"kind": kind, "address": address}
        )


def school_year_start(today: date) -> date:
    year = today.year if today.month >= 8 else today.year - 1
    return date(year, 8, 1)


def create_partnerships(municipality: Municipality, today: date) -> None:
    """Two partnerships from the start of this school year; the first is active."""
    contact = User.objects.get(email=data.CONSULTANT["email"])
    start = school_year_start(today)
    for partner, school_slugs, years, grant, resource, active in data.PARTNERSHIPS:
        association = Association.objects.filter(slug=partner).first()
        institution = (
            None
            if association
            else LeisureInstitution.objects.get(municipality=municipality, name=partner)
        )
        partnership, created = Partnership.objects.get_or_create(
            municipality=municipality,
            association=association,
            institution=institution,
            defaults={
                "starts_on": start,
                "ends_on": date(start.year + years, 7, 31),
                "contact": contact,
                "yearly_grant": grant,
                "resource_name": resource[0],
                "resource_email": resource[1],
                "resource_phone": resource[2],
            },
        )
        if created:
            partnership.schools.set(School.objects.filter(slug__in=school_slugs))
            if active:
                services.transition(partnership, "activate", by=contact)
