"""The demo's schools, and what they plan: school events and needs."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from associations.models import Association, AssociationMembership
from municipalities.models import Municipality
from schools.models import EventMessage, EventParticipation, School, SchoolEvent, SchoolNeed

from ..days import term_day
from . import data
from .cast import Cast


def create_schools(municipality: Municipality) -> dict[str, School]:
    """The municipality's schools, by slug."""
    schools = {}
    for name, slug, address, postal_code, town, lat, lon in data.SCHOOLS:
        schools[slug], _ = School.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "municipality": municipality,
                "address": address,
                "postal_code": postal_code,
                "town": town,
                "latitude": lat,
                "longitude": lon,
            },
        )
    return schools


def create_school_events(cast: Cast) -> None:
    """A sports day next June and a theme week in six weeks, at Espergærde Skole."""
    today, espergaerde = cast.today, espergaerde_skole(cast)
    sports_day = term_day(date(today.year + (today.month >= 6), 6, 10), weekday=4)
    sports_event, _ = SchoolEvent.objects.get_or_create(
        school=espergaerde,
        title="Idrætsdag for indskoling og mellemtrin",
        defaults={
            "description": "Vi søger foreninger, der kan stå for en post på idrætsdagen.",
            "starts_on": sports_day,
            "ends_on": sports_day,
            "grade_min": 0,
            "grade_max": 6,
            "created_by": cast.head.user,
        },
    )
    theme = theme_week(cast)
    theme_event, _ = SchoolEvent.objects.get_or_create(
        school=espergaerde,
        title="Temauge: Natur og bæredygtighed",
        defaults={
            "description": "4. årgang arbejder med natur og bæredygtighed hele ugen.",
            "starts_on": theme,
            "ends_on": theme + timedelta(days=4),
            "grade_min": 4,
            "grade_max": 4,
            "created_by": cast.teacher.user,
        },
    )

    offer_to_take_part(cast, sports_event, theme_event)


def offer_to_take_part(cast: Cast, sports_event: SchoolEvent, theme_event: SchoolEvent) -> None:
    """The rowing club offers a post on the sports day (waiting for the school's answer); the
    scouts' offer for the theme week is accepted, and the two sides have written."""
    rowing = Association.objects.get(slug="helsingor-roklub")
    EventParticipation.objects.get_or_create(
        event=sports_event,
        association=rowing,
        defaults={
            "message": "Vi kan stå for en post med romaskiner og en lille konkurrence.",
            "created_by": _admin_of(rowing),
        },
    )
    scouts = Association.objects.get(slug="espergaerde-spejderne")
    scout_leader = _admin_of(scouts)
    participation, created = EventParticipation.objects.get_or_create(
        event=theme_event,
        association=scouts,
        defaults={
            "message": "Vi kommer gerne en dag med bål, knob og shelterbyggeri.",
            "created_by": scout_leader,
            "state": EventParticipation.State.ACCEPTED,
            "answer": "Tak! Kom gerne tirsdag kl. 9 – vi er i skoven bag skolen.",
            "answered_by": cast.teacher.user,
            "answered_at": timezone.now() - timedelta(days=1),
        },
    )
    if created:
        EventMessage.objects.create(
            participation=participation,
            author=scout_leader,
            author_side="association",
            body="Super. Skal eleverne have noget med, eller står vi for det hele?",
        )
        EventMessage.objects.create(
            participation=participation,
            author=cast.teacher.user,
            author_side="school",
            body="Eleverne har madpakke og gummistøvler med. Resten står I for.",
        )


def _admin_of(association: Association):
    return (
        AssociationMembership.objects.filter(association=association, role="admin")
        .select_related("user")
        .first()
        .user
    )


def create_school_needs(cast: Cast) -> None:
    """Outdoor life for the theme week, and chess for maths in the spring."""
    theme, espergaerde = theme_week(cast), espergaerde_skole(cast)
    SchoolNeed.objects.get_or_create(
        school=espergaerde,
        title="Friluftsliv til 4. årgang i temauge",
        defaults={
            "created_by": cast.teacher.user,
            "grade_min": 4,
            "grade_max": 4,
            "pupils": 48,
            "description": "Vi søger en forening, der kan lave bål, shelterbyggeri eller "
            "naturvejledning med to klasser i temaugen.",
            "period_start": theme,
            "period_end": theme + timedelta(days=4),
            "domain": "nature",
            "budget": Decimal("3000"),
        },
    )
    SchoolNeed.objects.get_or_create(
        school=cast.schools.get("hornbaek-skole", espergaerde),
        title="Skak i matematik, 2. klasse",
        defaults={
            "created_by": cast.head.user,
            "grade_min": 2,
            "grade_max": 2,
            "pupils": 24,
            "description": "Et forløb med skak som støtte til matematik i foråret.",
            "period_start": cast.today + timedelta(days=60),
            "period_end": cast.today + timedelta(days=150),
            "domain": "culture",
        },
    )


def espergaerde_skole(cast: Cast) -> School:
    return cast.schools.get("espergaerde-skole") or cast.teacher.school


def theme_week(cast: Cast) -> date:
    """The Monday of Espergærde Skole's theme week."""
    return term_day(cast.today + timedelta(weeks=6), weekday=0)
