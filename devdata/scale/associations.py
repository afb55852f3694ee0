"""The scale data's associations with an instructor each, their offers, and the dates of the
offers that have dates of their own."""

from datetime import datetime, timedelta

from django.utils import timezone

from associations.cvr import example_cvr
from associations.models import (
    Association,
    Domain,
    Instructor,
    Location,
    Offer,
    OfferFormat,
    PriceModel,
    Subject,
)
from bookings.models import Occasion
from municipalities.models import Municipality
from screening.workflow import ScreeningState

from ..days import drawn_in_season, next_school_day
from .build import Build
from .data import TOWNS, WORDS


def create_associations(
    build: Build, municipalities: list[Municipality], n: int
) -> list[Association]:
    """``n`` approved associations, each in one municipality (spread evenly)."""
    associations = build.bulk(
        Association, [new_association(build, i) for i in range(n)], "associations"
    )
    through = Association.municipalities.through
    build.bulk(
        through,
        [
            through(association_id=a.pk, municipality_id=municipalities[i % len(municipalities)].pk)
            for i, a in enumerate(associations)
        ],
        "association municipalities",
    )
    return associations


def new_association(build: Build, i: int) -> Association:
    rng = build.rng
    postal, town = rng.choice(TOWNS)
    return Association(
        name=f"{rng.choice(WORDS).capitalize()}foreningen {i}",
        slug=f"scale-forening-{i}",
        cvr=example_cvr(1000000 + i * 37),
        domains=rng.sample(list(Domain.values), 2),
        description=f"Vi tilbyder {rng.choice(WORDS)} og {rng.choice(WORDS)} for skoler.",
        address=f"Foreningsvej {i % 200 + 1}",
        postal_code=postal,
        town=town,
        latitude=55.5 + rng.random(),
        longitude=9.5 + rng.random() * 3,
        contact_name=f"Kontakt {i}",
        contact_phone="12345678",
        contact_email=f"forening{i}@scale.example",
        members_under_18=rng.randint(5, 300),
        members_under_25=300,
        state=ScreeningState.APPROVED,
        approved_at=build.now,
        approval_expires_at=build.now + timedelta(days=365),
    )


def create_instructors(build: Build, associations: list[Association]) -> None:
    """One instructor per association, with a child certificate checked 100 days ago."""
    build.bulk(
        Instructor,
        [
            Instructor(
                association=a,
                name=f"Instruktør {i}",
                child_certificate_confirmed=True,
                child_certificate_date=(build.now - timedelta(days=100)).date(),
            )
            for i, a in enumerate(associations)
        ],
        "instructors",
    )


def create_offers(build: Build, associations: list[Association], n: int) -> list[Offer]:
    """``n`` approved offers spread evenly over the associations, each with the association's
    instructor and one subject."""
    offers = build.bulk(
        Offer,
        [new_offer(build, i, associations[i % len(associations)]) for i in range(n)],
        "offers",
    )
    instructors = dict(
        Instructor.objects.filter(association__in=[a.pk for a in associations]).values_list(
            "association_id", "pk"
        )
    )
    through = Offer.instructors.through
    build.bulk(
        through,
        [through(offer_id=o.pk, instructor_id=instructors[o.association_id]) for o in offers],
        "offer instructors",
    )
    subjects = list(Subject.objects.values_list("pk", flat=True))
    if subjects:
        through = Offer.subjects.through
        build.bulk(
            through,
            [through(offer_id=o.pk, subject_id=build.rng.choice(subjects)) for o in offers],
            "offer subjects",
        )
    return offers


def new_offer(build: Build, i: int, association: Association) -> Offer:
    rng, now = build.rng, build.now
    grade_min = rng.randint(0, 8)
    price_model = rng.choice(list(PriceModel.values))
    word, word2 = rng.choice(WORDS), rng.choice(WORDS)
    return Offer(
        association=association,
        title=f"{word.capitalize()} for skoler {i}",
        slug=f"scale-tilbud-{i}",
        summary=f"Prøv {word} og {word2} med foreningen",
        description=f"Eleverne lærer {word} og {word2}. " * 5,
        domain=rng.choice(association.domains),
        grade_min=grade_min,
        grade_max=rng.randint(grade_min, 10),
        format=rng.choice(list(OfferFormat.values)),
        location=rng.choice(list(Location.values)),
        location_address="Foreningsvej 1",
        duration_minutes=rng.choice([60, 90, 120, 180]),
        pupils_min=5,
        pupils_max=30,
        season_start_week=rng.choice([33, 35, 40, 2]),
        season_end_week=rng.choice([26, 12, 50]),
        weekdays="12345"[: rng.randint(2, 5)],
        on_request=rng.random() < 0.6,
        price_model=price_model,
        price_amount=_price(rng, price_model),
        state=ScreeningState.APPROVED,
        approved_at=now - timedelta(days=rng.randint(0, 300)),
        approval_expires_at=now + timedelta(days=100),
        certificates_valid_until=(now + timedelta(days=400)).date(),
    )


def _price(rng, price_model: str):
    """An amount as associations give it: materials per pupil (a class of 22 pays 330 to
    1,320, as the other models' 250 to 2,000), the others per class, hour or session."""
    if price_model == "free":
        return None
    if price_model == "materials":
        return rng.choice([15, 25, 40, 60])
    return rng.choice([250, 500, 1200, 2000])


def draw_days(rng) -> timedelta:
    return timedelta(days=rng.randint(-200, 200))


def create_occasions(build: Build, offers: list[Offer]) -> list[Occasion]:
    """Three dates on school days in the offer's season within 200 days of today for each
    offer with dates."""
    rng = build.rng
    tz = timezone.get_current_timezone()
    objs = []
    for o in offers:
        if o.on_request:
            continue
        for _ in range(3):
            day = drawn_in_season(o, lambda: next_school_day(build.now.date() + draw_days(rng)))
            start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=tz)
            objs.append(
                Occasion(
                    offer=o,
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    place="Foreningsvej 1",
                    capacity=rng.randint(2, 6),
                )
            )
    return build.bulk(Occasion, objs, "occasions")
