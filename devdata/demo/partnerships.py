"""The demo's partnerships: the municipality's focus areas, two leisure institutions, two
partnerships (an active one with an association, a proposed one with a youth club), the
association's action plan waiting in the consultant's screening queue, the youth club's
plan, written by the consultant on its behalf and approved (printable, PDF), the rowing
club's status meetings (one held with minutes, one coming) and three years of its yearly
figures."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from associations.models import Association, Offer
from municipalities.models import Municipality
from partnerships import figures, meeting_services, services
from partnerships.focus import create_defaults
from partnerships.meetings import StatusMeeting
from partnerships.models import Activity, FocusArea, Goal, LeisureInstitution, Partnership
from schools.models import School
from screening import services as screening_services
from screening.workflow import Transition

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


def create_action_plan(municipality: Municipality) -> None:
    """The rowing club's action plan over two focus areas, written by a member, submitted and
    approved by the consultant (both demo partnerships have a plan in force)."""
    partnership = Partnership.objects.get(
        municipality=municipality, association__slug=data.PARTNERSHIPS[0][0]
    )
    if partnership.action_plans.exists():
        return
    writer = User.objects.get(email=data.ASSOCIATION_MEMBERS[0][0])
    areas = FocusArea.objects.filter(
        municipality=municipality, kind=FocusArea.Kind.PARTNERSHIP, name__in=data.PLAN_AREAS
    )
    plan = services.create_plan(
        partnership, title=data.PLAN_TITLE, focus_areas=list(areas), by=writer
    )
    offer = Offer.objects.live().filter(association=partnership.association).first()
    for area in areas:
        goal, target, what, who, when = data.PLAN_AREAS[area.name]
        Goal.objects.create(
            plan=plan, focus_area=area, description=goal, indicator=target[0], target=target[1]
        )
        Activity.objects.create(
            plan=plan, focus_area=area, what=what, who=who, when=when, offer=offer
        )
    services.submit_plan(plan, by=writer)
    consultant = User.objects.get(email=data.CONSULTANT["email"])
    screening_services.decide(plan, Transition.START_REVIEW, by=consultant)
    screening_services.decide(plan, Transition.APPROVE, by=consultant)


def create_institution_plan(municipality: Municipality) -> None:
    """The youth club's plan: the consultant writes it (the club has no users), submits it
    and approves it, so the demo has a plan in force to print."""
    partnership = Partnership.objects.get(
        municipality=municipality, institution__name=data.PARTNERSHIPS[1][0]
    )
    if partnership.action_plans.exists():
        return
    consultant = User.objects.get(email=data.CONSULTANT["email"])
    areas = FocusArea.objects.filter(
        municipality=municipality,
        kind=FocusArea.Kind.PARTNERSHIP,
        name__in=data.INSTITUTION_PLAN_AREAS,
    )
    plan = services.create_plan(
        partnership, title=data.INSTITUTION_PLAN_TITLE, focus_areas=list(areas), by=consultant
    )
    for area in areas:
        goal, target, what, who, when = data.INSTITUTION_PLAN_AREAS[area.name]
        Goal.objects.create(
            plan=plan, focus_area=area, description=goal, indicator=target[0], target=target[1]
        )
        Activity.objects.create(plan=plan, focus_area=area, what=what, who=who, when=when)
    services.submit_plan(plan, by=consultant)
    screening_services.decide(plan, Transition.APPROVE, by=consultant)


def create_status_meetings(municipality: Municipality, today: date) -> None:
    """The rowing club's status meetings: one with the resource person a month ago, with
    minutes (it went through the goals of the approved plan), and one with the board
    in three weeks, its participants invited."""
    partnership = Partnership.objects.get(
        municipality=municipality, association__slug=data.PARTNERSHIPS[0][0]
    )
    if partnership.status_meetings.exists():
        return
    consultant = User.objects.get(email=data.CONSULTANT["email"])
    invited = meeting_services.candidates(partnership)
    tz = timezone.get_current_timezone()
    for kind, days, hour, place, invite in data.STATUS_MEETINGS:
        starts = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)), tz)
        meeting = meeting_services.schedule(
            partnership,
            kind=kind,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place=place,
            invited=invited,
            by=consultant,
            invite=invite,
        )
        if days >= 0:
            continue
        plan = partnership.action_plans.live().first()
        StatusMeeting.objects.filter(pk=meeting.pk).update(plan=plan)
        meeting.plan = plan
        statuses = {
            n: data.MINUTES_STATUSES[n % len(data.MINUTES_STATUSES)]
            for n in range(len(meeting_services.agenda_goals(meeting)))
        }
        meeting_services.write_minutes(
            meeting,
            statuses=statuses,
            next_steps=data.MINUTES_NEXT_STEPS,
            internal_notes=data.MINUTES_INTERNAL_NOTES,
            by=consultant,
        )


#: The rowing club's figures of the three years up to the year that ended: (members under 18,
#: under 25, volunteers and trainers, members from the target areas or None), oldest first.
FIGURES = [(96, 131, 18, None), (112, 150, 21, 24), (128, 171, 26, 35)]


def create_figures(municipality: Municipality, today: date) -> None:
    """Three years of the association partners' yearly figures, reported by a member (a
    year the partnership cannot report is left out; a new run corrects the same rows)."""
    writer = User.objects.get(email=data.ASSOCIATION_MEMBERS[0][0])
    due = today.year - 1
    partnerships = Partnership.objects.filter(
        municipality=municipality, association__isnull=False
    ).order_by("pk")
    for partnership in partnerships[:1]:
        years = figures.reportable_years(partnership, today)
        for year, row in zip(range(due - 2, due + 1), FIGURES, strict=True):
            if year not in years:
                continue
            under_18, under_25, volunteers, target = row
            figures.report(
                partnership,
                year,
                by=writer,
                members_under_18=under_18,
                members_under_25=under_25,
                volunteers=volunteers,
                members_target_areas=target,
            )
