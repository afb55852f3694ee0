"""The recipe of `seed_scale`: everything but the bookings in one transaction, then the
bookings in batches, then fresh planner statistics."""

import random

from django.core.management.base import OutputWrapper
from django.db import connection, transaction
from django.utils import timezone

from .associations import create_associations, create_instructors, create_occasions, create_offers
from .bookings import create_bookings
from .build import Build
from .places import create_municipalities, create_school_staff, create_schools


def seed(
    out: OutputWrapper,
    *,
    municipalities: int,
    schools: int,
    associations: int,
    offers: int,
    bookings: int,
    random_seed: int,
) -> None:
    """As many of each as asked for, the same data for the same ``random_seed``."""
    rng = random.Random(random_seed)  # noqa: S311 (test data)
    build = Build(rng=rng, now=timezone.now(), out=out)
    with transaction.atomic():
        municipality_rows = create_municipalities(build, municipalities)
        school_rows = create_schools(build, municipality_rows, schools)
        create_school_staff(build, school_rows)
        association_rows = create_associations(build, municipality_rows, associations)
        create_instructors(build, association_rows)
        offer_rows = create_offers(build, association_rows, offers)
        occasion_rows = create_occasions(build, offer_rows)
    create_bookings(out, school_rows, occasion_rows, offer_rows, bookings)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
