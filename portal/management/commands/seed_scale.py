"""Build a national-scale data set with bulk inserts, for benchmarks (`make bench`).

    python manage.py seed_scale --municipalities 98 --schools 1300 --associations 20000 \
        --offers 50000 --bookings 300000

All arguments are optional (smaller defaults). Meant for an empty PostgreSQL database;
it refuses to run twice on the same data unless --force is given.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
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
from bookings.scale import next_school_day
from municipalities.models import Municipality
from schools.models import School, SchoolMembership
from screening.workflow import ScreeningState

BATCH = 5000
UNUSABLE = make_password(None)  # scale users log in only through the benchmark's session
WORDS = [
    "svømning",
    "kajak",
    "roning",
    "fodbold",
    "floorball",
    "håndbold",
    "spejder",
    "bål",
    "natur",
    "skak",
    "musik",
    "kor",
    "rytmik",
    "teater",
    "dans",
    "billedkunst",
    "robotter",
    "programmering",
    "fugle",
    "smådyr",
    "sejlads",
    "klatring",
    "orientering",
    "førstehjælp",
    "boksning",
    "badminton",
    "tennis",
    "atletik",
    "cykling",
    "friluftsliv",
]
TOWNS = [
    ("3000", "Helsingør"),
    ("3060", "Espergærde"),
    ("3100", "Hornbæk"),
    ("2100", "København Ø"),
    ("8000", "Aarhus C"),
    ("5000", "Odense C"),
    ("9000", "Aalborg"),
    ("4200", "Slagelse"),
]


class Progress:
    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total, self.done = out, label, total, 0
        self.started = time.monotonic()

    def add(self, n: int) -> None:
        self.done += n
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.out.write(
            f"\r  {self.label}: {self.done:>9,}/{self.total:,} ({rate:,.0f}/s)", ending=""
        )
        self.out.flush()
        if self.done >= self.total:
            self.out.write("")


def _cvr(n: int) -> str:
    weights = (2, 7, 6, 5, 4, 3, 2)
    base = 1000000 + n * 37
    while True:
        digits = str(base)
        check = -sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check < 10:
            return digits + str(check)
        base += 1


class Command(BaseCommand):
    help = "Build a large, realistic data set with bulk inserts (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=5)
        parser.add_argument("--schools", type=int, default=60)
        parser.add_argument("--associations", type=int, default=500)
        parser.add_argument("--offers", type=int, default=1500)
        parser.add_argument("--bookings", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, **opts):
        if Municipality.objects.filter(slug="scale-1").exists() and not opts["force"]:
            raise CommandError("Scale data already present (use --force to add more).")
        self.rng = random.Random(opts["seed"])
        self.now = timezone.now()
        started = time.monotonic()
        with transaction.atomic():
            municipalities = self.municipalities(opts["municipalities"])
            schools = self.schools(municipalities, opts["schools"])
            associations = self.associations(municipalities, opts["associations"])
            offers = self.offers(associations, opts["offers"])
            occasions = self.occasions(offers)
        self.bookings(schools, occasions, offers, opts["bookings"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s."))

    # -- builders ---------------------------------------------------------------------------

    def bulk(self, model, objs, label):
        progress = Progress(self.stdout, label, len(objs))
        created = []
        for i in range(0, len(objs), BATCH):
            chunk = model.objects.bulk_create(objs[i : i + BATCH], batch_size=BATCH)
            created.extend(chunk)
            progress.add(len(chunk))
        return created

    def municipalities(self, n):
        objs = [
            Municipality(
                name=f"Skalakommune {i}",
                slug=f"scale-{i}",
                code=f"{900 - i:03d}"[-3:],
                embed_allowed_origins="http://127.0.0.1:8001",
            )
            for i in range(1, n + 1)
        ]
        used = set(Municipality.objects.values_list("code", flat=True))
        for i, m in enumerate(objs):
            code = int(m.code)
            while f"{code:03d}" in used:
                code = (code + 7) % 1000
            m.code = f"{code:03d}"
            used.add(m.code)
            m.name = f"Skalakommune {i + 1}"
        return self.bulk(Municipality, objs, "municipalities")

    def schools(self, municipalities, n):
        rng = self.rng
        objs = []
        for i in range(n):
            postal, town = rng.choice(TOWNS)
            objs.append(
                School(
                    municipality=municipalities[i % len(municipalities)],
                    name=f"{town} Skole {i}",
                    slug=f"scale-skole-{i}",
                    postal_code=postal,
                    town=town,
                    latitude=55.5 + rng.random(),
                    longitude=9.5 + rng.random() * 3,
                )
            )
        schools = self.bulk(School, objs, "schools")
        users = self.bulk(
            User,
            [
                User(
                    email=f"laerer{i}@scale.example",
                    full_name=f"Lærer {i}",
                    password=UNUSABLE,
                    email_confirmed_at=self.now,
                )
                for i in range(len(schools))
            ],
            "school staff",
        )
        self.bulk(
            SchoolMembership,
            [
                SchoolMembership(
                    user=u, school=s, role="teacher", is_approved=True, approved_at=self.now
                )
                for u, s in zip(users, schools, strict=True)
            ],
            "school memberships",
        )
        return schools

    def associations(self, municipalities, n):
        rng = self.rng
        domains = list(Domain.values)
        objs = []
        for i in range(n):
            postal, town = rng.choice(TOWNS)
            objs.append(
                Association(
                    name=f"{rng.choice(WORDS).capitalize()}foreningen {i}",
                    slug=f"scale-forening-{i}",
                    cvr=_cvr(i),
                    domains=rng.sample(domains, 2),
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
                    approved_at=self.now,
                    approval_expires_at=self.now + timedelta(days=365),
                )
            )
        associations = self.bulk(Association, objs, "associations")
        through = Association.municipalities.through
        self.bulk(
            through,
            [
                through(
                    association_id=a.pk, municipality_id=municipalities[i % len(municipalities)].pk
                )
                for i, a in enumerate(associations)
            ],
            "association municipalities",
        )
        self.bulk(
            Instructor,
            [
                Instructor(
                    association=a,
                    name=f"Instruktør {i}",
                    child_certificate_confirmed=True,
                    child_certificate_date=(self.now - timedelta(days=100)).date(),
                )
                for i, a in enumerate(associations)
            ],
            "instructors",
        )
        return associations

    def offers(self, associations, n):
        rng = self.rng
        formats, locations = list(OfferFormat.values), list(Location.values)
        prices = list(PriceModel.values)
        valid_until = (self.now + timedelta(days=400)).date()
        objs = []
        for i in range(n):
            a = associations[i % len(associations)]
            grade_min = rng.randint(0, 8)
            price_model = rng.choice(prices)
            word, word2 = rng.choice(WORDS), rng.choice(WORDS)
            objs.append(
                Offer(
                    association=a,
                    title=f"{word.capitalize()} for skoler {i}",
                    slug=f"scale-tilbud-{i}",
                    summary=f"Prøv {word} og {word2} med foreningen",
                    description=f"Eleverne lærer {word} og {word2}. " * 5,
                    domain=rng.choice(a.domains),
                    grade_min=grade_min,
                    grade_max=rng.randint(grade_min, 10),
                    format=rng.choice(formats),
                    location=rng.choice(locations),
                    location_address="Foreningsvej 1",
                    duration_minutes=rng.choice([60, 90, 120, 180]),
                    pupils_min=5,
                    pupils_max=30,
                    season_start_week=rng.choice([33, 35, 40, 2]),
                    season_end_week=rng.choice([26, 12, 50]),
                    weekdays="12345"[: rng.randint(2, 5)],
                    on_request=rng.random() < 0.6,
                    price_model=price_model,
                    price_amount=None
                    if price_model == "free"
                    else rng.choice([250, 500, 1200, 2000]),
                    state=ScreeningState.APPROVED,
                    approved_at=self.now - timedelta(days=rng.randint(0, 300)),
                    approval_expires_at=self.now + timedelta(days=100),
                    certificates_valid_until=valid_until,
                )
            )
        offers = self.bulk(Offer, objs, "offers")
        instructors = dict(
            Instructor.objects.filter(association__in=[a.pk for a in associations]).values_list(
                "association_id", "pk"
            )
        )
        through = Offer.instructors.through
        self.bulk(
            through,
            [through(offer_id=o.pk, instructor_id=instructors[o.association_id]) for o in offers],
            "offer instructors",
        )
        subjects = list(Subject.objects.values_list("pk", flat=True))
        if subjects:
            through = Offer.subjects.through
            self.bulk(
                through,
                [through(offer_id=o.pk, subject_id=rng.choice(subjects)) for o in offers],
                "offer subjects",
            )
        return offers

    def occasions(self, offers):
        rng = self.rng
        tz = timezone.get_current_timezone()
        objs = []
        for o in offers:
            if o.on_request:
                continue
            for _ in range(3):
                day = next_school_day((self.now + timedelta(days=rng.randint(-200, 200))).date())
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
        return self.bulk(Occasion, objs, "occasions")

    def bookings(self, schools, occasions, offers, n):
        """Bookings are added by the bookings app's scale builder when it exists."""
        try:
            from bookings.scale import build_bookings
        except ImportError:
            self.stdout.write("  bookings: skipped (bookings.scale not available)")
            return
        build_bookings(self, schools=schools, occasions=occasions, offers=offers, n=n)
