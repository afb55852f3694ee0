"""The demo's bookings: in every state, a waiting list, completed ones with evaluations from
both sides, and a subsidy pool, so that every page has something to show.

Built through the services (the same rules as real use), except bookings in the past, which
are written directly because the services rightly refuse to book the past.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from associations.models import Offer
from bookings import services as bookings
from bookings.models import Booking, Evaluation, Occasion, SubsidyPool
from bookings.schoolyear import school_year_of
from bookings.states import Actor, BookingState
from schools.models import SchoolMembership

from ..days import at, past_season_day, season_day
from .cast import Cast


def create_subsidy_pool(cast: Cast) -> None:
    """This school year's pool: the municipality pays half, up to a cap per school."""
    SubsidyPool.objects.get_or_create(
        municipality=cast.municipality,
        school_year=school_year_of(cast.today),
        defaults={
            "amount": Decimal("400000"),
            "municipality_share_percent": 50,
            "cap_per_school": Decimal("40000"),
            "max_hourly_rate": Decimal("250"),
        },
    )


def fit(offer: Offer, grade: int, pupils: int, classes: str) -> tuple[int, int, str]:
    """A class the offer is made for: the grade and group size moved into its ranges."""
    fitted = min(max(grade, offer.grade_min), offer.grade_max)
    pupils = min(max(pupils, offer.pupils_min), offer.pupils_max)
    return fitted, pupils, classes.replace(str(grade), str(fitted), 1)


def request(
    cast: Cast,
    offer: Offer,
    *,
    occasion: Occasion | None = None,
    days: int = 20,
    pupils: int = 22,
    classes: str = "5.A",
    grade: int = 5,
    who: SchoolMembership | None = None,
    message: str = "",
) -> Booking:
    """A school's request: for ``occasion``, or for the first Wednesday in the offer's season
    ``days`` or more from today."""
    who = who or cast.teacher
    grade, pupils, classes = fit(offer, grade, pupils, classes)
    preferred = None
    if occasion is None:
        day = season_day(offer, cast.today + timedelta(days=days), weekday=2)
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


def request_bookings(cast: Cast) -> None:
    """Two requests waiting for an answer: one on request, one for a fixed date."""
    request(cast, cast.on_request[0], message="Vi vil gerne have det med i vores temauge.")
    offer = cast.oldest_fixed
    request(
        cast,
        offer,
        occasion=offer.occasions.order_by("starts_at").first(),
        who=cast.head,
        classes="6.B",
        grade=6,
    )


def fill_a_date(cast: Cast) -> None:
    """The first date of the newest offer with dates: one booking confirmed, one requested
    (the date's two places are then taken), and a class on its waiting list."""
    offer, teacher = cast.newest_fixed, cast.teacher
    first = offer.occasions.order_by("starts_at").first()
    confirmed = request(cast, offer, occasion=first, classes="7.A", grade=7)
    bookings.transition(confirmed, "confirm", user=cast.member_of(offer), actor=Actor.ASSOCIATION)
    request(cast, offer, occasion=first, who=cast.head, classes="8.B", grade=8)
    grade, pupils, classes = fit(offer, 9, 24, "9.C")
    bookings.join_waiting_list(
        user=teacher.user,
        school=teacher.school,
        occasion=first,
        classes=classes,
        class_count=1,
        grade=grade,
        pupils=pupils,
    )


def propose_alternative_date(cast: Cast) -> None:
    offer = cast.on_request[1]
    alternative = request(cast, offer, days=27, grade=4, classes="4.A")
    asked_for = timezone.localtime(alternative.starts_at).date()
    new_day = season_day(offer, asked_for + timedelta(days=7), weekday=3)
    bookings.transition(
        alternative,
        "propose_alternative",
        user=cast.member_of(offer),
        actor=Actor.ASSOCIATION,
        note="Torsdag passer os bedre.",
        starts_at=at(new_day, 10),
        ends_at=at(new_day, 12),
    )


def decline_request(cast: Cast) -> None:
    offer = cast.on_request[2]
    declined = request(cast, offer, days=30, grade=3, classes="3.B")
    bookings.transition(
        declined,
        "decline",
        user=cast.member_of(offer),
        actor=Actor.ASSOCIATION,
        note="Vi har ikke instruktører den dag.",
    )


def expire_request(cast: Cast) -> None:
    """A request nobody answered before its deadline."""
    expired = request(cast, cast.on_request[3], days=45, grade=2, classes="2.A", who=cast.head)
    Booking.objects.filter(pk=expired.pk).update(answer_deadline=timezone.now())
    bookings.transition(expired, "expire", actor=Actor.SYSTEM)


def cancel_booking(cast: Cast) -> None:
    """The school cancels its request for the newest offer's second date."""
    offer, head = cast.newest_fixed, cast.head
    second = offer.occasions.order_by("starts_at")[1]
    cancelled = request(cast, offer, occasion=second, who=head, classes="7.B", grade=7)
    bookings.transition(
        cancelled,
        "cancel",
        user=head.user,
        actor=Actor.SCHOOL,
        note="Klassen skal til prøve den dag.",
    )


def await_leader_approval(cast: Cast) -> None:
    """From now on the municipality wants a leader's approval when the school pays more than
    500 DKK: the teacher's request for the hourly offer (the school's share 625 DKK) waits
    for the department head of the school ("My school" of afdelingsleder@...)."""
    for municipality in (cast.municipality, cast.teacher.school.municipality):  # two copies
        municipality.leader_approval_above = Decimal("500")
    cast.municipality.save(update_fields=["leader_approval_above"])
    offer = next(o for o in cast.on_request if o.price_model == "hourly")
    request(cast, offer, days=24, grade=6, classes="6.A", message="Et forløb for hele årgangen?")


def create_past_bookings(cast: Cast) -> None:
    """Five bookings completed in the past months (in each offer's season, so perhaps last
    year's), evaluated by both sides."""
    schools = list(cast.schools.values())
    for n, offer in enumerate(list(cast.offers.values())[:5]):
        school = schools[n % 3]
        who = next((m for m in cast.staff if m.school_id == school.pk), cast.teacher)
        booking = completed_booking(cast, offer, who, school, n)
        evaluate(cast, booking, who, n)


def completed_booking(cast: Cast, offer: Offer, who: SchoolMembership, school, n: int) -> Booking:
    day = past_season_day(offer, cast.today - timedelta(days=40 + 30 * n), weekday=n % 5)
    return Booking.objects.create(
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


def evaluate(cast: Cast, booking: Booking, who: SchoolMembership, n: int) -> None:
    """The school's and the association's evaluations of the ``n``-th past booking."""
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
        author=cast.member_of(booking.offer),
        rating=4,
        comment="God klasse, godt forberedt.",
        took_place=True,
        pupils_reached=20 + n,
        pupils_joined=n + 1,
    )
