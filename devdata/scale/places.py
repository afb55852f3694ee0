"""The scale data's municipalities, and its schools with one teacher each."""

from django.contrib.auth.hashers import make_password

from accounts.models import User
from municipalities.models import Municipality
from schools.models import School, SchoolMembership

from .build import Build
from .data import TOWNS

UNUSABLE = make_password(None)  # scale users log in only through the benchmark's session


def create_municipalities(build: Build, n: int) -> list[Municipality]:
    """``scale-1`` … ``scale-n``, with three-digit codes no existing municipality has."""
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
    return build.bulk(Municipality, objs, "municipalities")


def create_schools(build: Build, municipalities: list[Municipality], n: int) -> list[School]:
    """``n`` schools spread evenly over the municipalities, in towns across the country."""
    rng = build.rng
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
    return build.bulk(School, objs, "schools")


def create_school_staff(build: Build, schools: list[School]) -> None:
    """One approved teacher per school (no password: the benchmark makes the session)."""
    users = build.bulk(
        User,
        [
            User(
                email=f"laerer{i}@scale.example",
                full_name=f"Lærer {i}",
                password=UNUSABLE,
                email_confirmed_at=build.now,
            )
            for i in range(len(schools))
        ],
        "school staff",
    )
    build.bulk(
        SchoolMembership,
        [
            SchoolMembership(
                user=u, school=s, role="teacher", is_approved=True, approved_at=build.now
            )
            for u, s in zip(users, schools, strict=True)
        ],
        "school memberships",
    )
