"""Demo activity: bookings in every state, a waiting list, evaluations, needs, school events,
a subsidy pool and a second waiting submission, so that every page has something to show.

Built through the services (the same rules as real use), except bookings in the past,
which are written directly because the services rightly refuse to book the past.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from associations.models import AssociationMembership, Offer
from bookings import services as bookings
from bookings.models import Booking, Evaluation, Occasion, SubsidyPool
from bookings.schoolyear import holiday_on, school_year_of
from bookings.states import Actor, BookingState
from schools.models import School, SchoolEvent, SchoolMembership, SchoolNeed


def term_day(start: date, weekday: int = 1) -> date:
    """The first school day on ``weekday`` (0 = Monday) on or after ``start``, not in a holiday."""
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while holiday_on(day) is not None:
        day += timedelta(days=7)
    return day


def at(day: date, hour: int, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minutes), tzinfo=timezone.get_current_timezone())


def make_occasions(offer: Offer, today: date, weeks=(3, 5, 8)) -> None:
    for n, weeks_ahead in enumerate(weeks):
        day = term_day(today + timedelta(weeks=weeks_ahead), weekday=1 + n % 3)
        start = at(day, 9)
        occasion = Occasion(
            offer=offer,
            starts_at=start,
            ends_at=start + timedelta(minutes=offer.duration_minutes),
            place=offer.association.address,
            capacity=2,
        )
        bookings.save_occasion(occasion)


def build(municipality, stdout=None) -> None:
    if Booking.objects.filter(school__municipality=municipality).exists():
        return  # already there: idempotent
    today = timezone.localdate()
    schools = {s.slug: s for s in School.objects.filter(municipality=municipality)}
    staff = list(
        SchoolMembership.objects.filter(
            school__municipality=municipality, is_approved=True
        ).select_related("user", "school")
    )
    teacher = next(m for m in staff if m.role == "teacher")
    head = next(m for m in staff if m.role == "department_head")
    offers = {
        o.slug: o
        for o in Offer.objects.published()
        .filter(association__municipalities=municipality)
        .select_related("association")
    }

    SubsidyPool.objects.get_or_create(
        municipality=municipality,
        school_year=school_year_of(today),
        defaults={
            "amount": Decimal("400000"),
            "municipality_share_percent": 50,
            "cap_per_school": Decimal("40000"),
            "max_hourly_rate": Decimal("250"),
        },
    )

    def member_of(offer):
        membership = AssociationMembership.objects.filter(association=offer.association).first()
        return membership.user if membership else None

    def fit(offer, grade, pupils, classes):
        """A class the offer is made for: the grade and group size moved into its ranges."""
        fitted = min(max(grade, offer.grade_min), offer.grade_max)
        pupils = min(max(pupils, offer.pupils_min), offer.pupils_max)
        return fitted, pupils, classes.replace(str(grade), str(fitted), 1)

    def request(
        offer, *, occasion=None, days=20, pupils=22, classes="5.A", grade=5, who=teacher, message=""
    ):
        grade, pupils, classes = fit(offer, grade, pupils, classes)
        preferred = None
        if occasion is None:
            day = term_day(today + timedelta(days=days), weekday=2)
            preferred = [(at(day, 9), at(day, 12))]
        return bookings.request_booking(
            user=who.user,
            school=who.school,
            offer=offer,
            occasion=occasion,
            preferred=preferred,
            classes=classes,
            class_count=1,
            grade=grade,
            pupils=pupils,
            contact_teacher=who.user,
            message=message,
        )

    fixed = [o for o in offers.values() if not o.on_request]
    on_request = [o for o in offers.values() if o.on_request]
    kayak, sailing = fixed[0], fixed[-1]
    kayak_dates = list(kayak.occasions.order_by("starts_at"))

    # Requested (waiting for an answer), on request and on a fixed date.
    request(on_request[0], message="Vi vil gerne have det med i vores temauge.")
    request(
        sailing,
        occasion=sailing.occasions.order_by("starts_at").first(),
        who=head,
        classes="6.B",
        grade=6,
    )
    # Confirmed, and the first date of the kayak offer is then full: a waiting list.
    first = kayak_dates[0]
    confirmed = request(kayak, occasion=first, classes="7.A", grade=7)
    bookings.transition(confirmed, "confirm", user=member_of(kayak), actor=Actor.ASSOCIATION)
    request(kayak, occasion=first, who=head, classes="8.B", grade=8)
    grade, pupils, classes = fit(kayak, 9, 24, "9.C")
    bookings.join_waiting_list(
        user=teacher.user,
        school=teacher.school,
        occasion=first,
        classes=classes,
        class_count=1,
        grade=grade,
        pupils=pupils,
    )
    # Another date proposed, declined, cancelled.
    alternative = request(on_request[1], days=27, grade=4, classes="4.A")
    new_day = term_day(today + timedelta(days=34), weekday=3)
    bookings.transition(
        alternative,
        "propose_alternative",
        user=member_of(on_request[1]),
        actor=Actor.ASSOCIATION,
        note="Onsdag passer os bedre.",
        starts_at=at(new_day, 10),
        ends_at=at(new_day, 12),
    )
    declined = request(on_request[2], days=30, grade=3, classes="3.B")
    bookings.transition(
        declined,
        "decline",
        user=member_of(on_request[2]),
        actor=Actor.ASSOCIATION,
        note="Vi har ikke instruktører den dag.",
    )
    expired = request(on_request[3], days=45, grade=2, classes="2.A", who=head)
    Booking.objects.filter(pk=expired.pk).update(answer_deadline=timezone.now())
    bookings.transition(expired, "expire", actor=Actor.SYSTEM)
    cancelled = request(kayak, occasion=kayak_dates[1], who=head, classes="7.B", grade=7)
    bookings.transition(
        cancelled,
        "cancel",
        user=head.user,
        actor=Actor.SCHOOL,
        note="Klassen skal til prøve den dag.",
    )

    # Completed last spring and earlier this year, with evaluations from both sides.
    past_offers = list(offers.values())[:5]
    for n, offer in enumerate(past_offers):
        school = list(schools.values())[n % 3]
        who = next((m for m in staff if m.school_id == school.pk), teacher)
        day = term_day(today - timedelta(days=40 + 30 * n), weekday=n % 5)
        booking = Booking.objects.create(
            offer=offer,
            school=school,
            requested_by=who.user,
            contact_teacher=who.user,
            state=BookingState.COMPLETED,
            starts_at=at(day, 9),
            ends_at=at(day, 12),
            answer_deadline=at(day, 9) - timedelta(days=20),
            classes=f"{4 + n}.A",
            class_count=1,
            grade=min(offer.grade_max, max(offer.grade_min, 4 + n)),
            pupils=20 + n,
            confirmed_at=at(day, 9) - timedelta(days=30),
            price_total=bookings.expected_price(offer, 20 + n, sessions=1, classes=1),
        )
        Evaluation.objects.create(
            booking=booking,
            side=Actor.SCHOOL,
            author=who.user,
            rating=5 - n % 2,
            comment="Eleverne var begejstrede.",
            took_place=True,
            pupils_reached=20 + n,
        )
        Evaluation.objects.create(
            booking=booking,
            side=Actor.ASSOCIATION,
            author=member_of(offer),
            rating=4,
            comment="God klasse, godt forberedt.",
            took_place=True,
            pupils_reached=20 + n,
            pupils_joined=n + 1,
        )

    # A school's own events and needs.
    espergaerde = schools.get("espergaerde-skole") or teacher.school
    sports_day = term_day(date(today.year + (today.month >= 6), 6, 10), weekday=4)
    SchoolEvent.objects.get_or_create(
        school=espergaerde,
        title="Idrætsdag for indskoling og mellemtrin",
        defaults={
            "description": "Vi søger foreninger, der kan stå for en post på idrætsdagen.",
            "starts_on": sports_day,
            "ends_on": sports_day,
            "grade_min": 0,
            "grade_max": 6,
            "created_by": head.user,
        },
    )
    theme = term_day(today + timedelta(weeks=6), weekday=0)
    SchoolEvent.objects.get_or_create(
        school=espergaerde,
        title="Temauge: Natur og bæredygtighed",
        defaults={
            "description": "4. årgang arbejder med natur og bæredygtighed hele ugen.",
            "starts_on": theme,
            "ends_on": theme + timedelta(days=4),
            "grade_min": 4,
            "grade_max": 4,
            "created_by": teacher.user,
        },
    )
    SchoolNeed.objects.get_or_create(
        school=espergaerde,
        title="Friluftsliv til 4. årgang i temauge",
        defaults={
            "created_by": teacher.user,
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
        school=schools.get("hornbaek-skole", espergaerde),
        title="Skak i matematik, 2. klasse",
        defaults={
            "created_by": head.user,
            "grade_min": 2,
            "grade_max": 2,
            "pupils": 24,
            "description": "Et forløb med skak som støtte til matematik i foråret.",
            "period_start": today + timedelta(days=60),
            "period_end": today + timedelta(days=150),
            "domain": "culture",
        },
    )

    # A second submission for the consultant: an edit of an approved offer, with a diff.
    from screening import services as screening
    from screening.workflow import Transition

    edit = screening.start_revision(kayak, by=member_of(kayak))
    edit.summary = "En hel dag i kajak på Øresund – nu også for 4. klasse"
    edit.grade_min = 4
    edit.save()
    screening.transition(edit, Transition.SUBMIT, by=member_of(kayak))
    if stdout:
        stdout.write("Demo bookings, evaluations, needs, events and a subsidy pool created.")
