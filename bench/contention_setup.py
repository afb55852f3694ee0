#!/usr/bin/env python
"""Prepare the booking-contention benchmark: one occasion with 10 free places (classes) and
100 approved teachers at 100 schools, each with a logged-in session. Prints JSON."""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.prod")

import django

django.setup()

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from associations.models import Association, Instructor, Offer
from bench.targets import CSRF, session_cookie
from bookings.models import Booking, Occasion
from municipalities.models import Municipality
from schools.models import School, SchoolMembership
from screening.workflow import ScreeningState

ATTEMPTS = int(os.environ.get("CONTENTION_ATTEMPTS", "100"))
PLACES = int(os.environ.get("CONTENTION_PLACES", "10"))


def main() -> int:
    now = timezone.now()
    run = now.strftime("%Y%m%d%H%M%S")
    municipality, _ = Municipality.objects.get_or_create(
        slug="bench-contention", defaults={"name": "Bench Contention", "code": "999"}
    )
    association = Association.objects.create(
        name=f"Contention {run}",
        slug=f"contention-{run}",
        cvr="10000009",
        domains=["sport"],
        description="Benchmark",
        address="Vej 1",
        postal_code="3000",
        town="Helsingør",
        contact_name="Kontakt",
        contact_phone="12345678",
        contact_email="c@bench.example",
        state=ScreeningState.APPROVED,
        approved_at=now,
    )
    association.municipalities.add(municipality)
    instructor = Instructor.objects.create(
        association=association,
        name="Instruktør",
        child_certificate_confirmed=True,
        child_certificate_date=now.date(),
    )
    offer = Offer.objects.create(
        association=association,
        title="Contention",
        slug=f"contention-{run}",
        summary="x",
        description="x",
        domain="sport",
        format="visit",
        location="school",
        duration_minutes=60,
        weekdays="12345",
        on_request=False,
        state=ScreeningState.APPROVED,
        approved_at=now,
        certificates_valid_until=(now + timedelta(days=300)).date(),
    )
    offer.instructors.add(instructor)
    # A weekday in term time, well away from holidays (the booking form refuses holidays).
    start = (now + timedelta(days=21)).replace(hour=9, minute=0, second=0, microsecond=0)
    while start.weekday() > 4:
        start += timedelta(days=1)
    occasion = Occasion.objects.create(
        offer=offer, starts_at=start, ends_at=start + timedelta(hours=2), capacity=PLACES
    )
    password = make_password(None)
    attempts = []
    for i in range(ATTEMPTS):
        school = School.objects.create(
            municipality=municipality, name=f"Skole {run}-{i}", slug=f"contention-{run}-{i}"
        )
        user = User.objects.create(
            email=f"c{run}-{i}@bench.example",
            full_name=f"Lærer {i}",
            password=password,
            email_confirmed_at=now,
        )
        SchoolMembership.objects.create(user=user, school=school, is_approved=True, approved_at=now)
        attempts.append(
            {
                "cookie": session_cookie(user),
                "body": {
                    "csrfmiddlewaretoken": CSRF,
                    "school": school.pk,
                    "occasion": occasion.pk,
                    "classes": "5.A",
                    "class_count": 1,
                    "grade": 5,
                    "pupils": 20,
                    "contact_teacher": user.pk,
                },
            }
        )
    print(
        json.dumps(
            {
                "path": f"/offers/{offer.slug}/book/",
                "occasion": occasion.pk,
                "places": PLACES,
                "attempts": attempts,
            }
        )
    )
    return 0


def count(occasion_id: int) -> dict:
    occasion = Occasion.objects.get(pk=occasion_id)
    return {
        "reserved": occasion.reserved,
        "bookings": Booking.objects.filter(occasion_id=occasion_id).count(),
    }


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--count":
        print(json.dumps(count(int(sys.argv[2]))))
        sys.exit(0)
    sys.exit(main())
