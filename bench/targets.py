#!/usr/bin/env python
"""Pick the benchmark's URLs on the scale data, log in a school user, count SQL per page.

Prints one JSON line: {"data": {...counts}, "pages": [{name, path, method, ...}]}.
With --check, exits 1 when the scale data is missing.
"""

import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.prod")
# Count (and explain) the uncached render, the worst case, unless asked for the cached one.
os.environ["PAGECACHE_ENABLED"] = "false"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from associations.models import Association, Offer  # noqa: E402
from bench import rotating  # noqa: E402
from bookings.models import Booking  # noqa: E402
from dashboard.services import current_school_year  # noqa: E402
from devdata.days import next_school_day  # noqa: E402
from municipalities.models import Consultant, Municipality  # noqa: E402
from schools.models import SchoolMembership  # noqa: E402

#: Where the rotating pages' lists of paths are written for wrk (ignored by git).
URLS_FOLDER = ROOT / "var" / "bench"

CSRF = "benchcsrftokenbenchcsrftoken1234"  # 32 characters: an unmasked CSRF secret
BENCH_MESSAGE = "Benchmark"  # marks the requests made by the benchmark's booking POST


def session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.LOGIN_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}"


def count_queries(page, *, cached: bool = False) -> int | None:
    """SQL queries of one request: uncached (cache cleared, page cache off: the worst case)
    or ``cached`` (page and fragment caches on, after earlier requests filled them)."""
    client = Client(HTTP_HOST="127.0.0.1", SERVER_NAME="127.0.0.1", secure=False)
    if page.get("cookie"):
        for part in page["cookie"].split("; "):
            name, value = part.split("=", 1)
            client.cookies[name] = value

    def request():
        if page.get("method") == "POST":
            return client.post(page["path"], data=page["body"], content_type=page["content_type"])
        return client.get(page["path"])

    cache.clear()
    with override_settings(PAGECACHE_ENABLED=cached):
        if cached:  # twice: the first answer may set a cookie that is part of the key
            request()
            request()
        with CaptureQueriesContext(connection) as ctx:
            response = request()
    if response.status_code >= 400:
        return None
    return len(ctx.captured_queries)


def collect_pages() -> list[dict]:
    """The benchmark's pages on the scale data (municipality scale-1)."""
    municipality = Municipality.objects.get(slug="scale-1")
    offer = (
        Offer.objects.published()
        .filter(association__municipalities=municipality, on_request=False)
        .first()
    )
    association = Association.objects.published().for_municipality(municipality).first()
    membership = (
        SchoolMembership.objects.filter(school__municipality=municipality, is_approved=True)
        .select_related("user")
        .first()
    )
    cookie = session_cookie(membership.user)
    m = municipality.slug
    return [
        *single_pages(m, offer, association, cookie),
        *rotating_pages(),
        *signed_in_pages(municipality, offer, membership, cookie),
    ]


def single_pages(m: str, offer, association, cookie: str) -> list[dict]:
    """One URL per page, loaded again and again: after the first request, the page cache's
    best case."""
    return [
        {"name": "minimal view", "path": "/ping"},
        {"name": "catalog", "path": f"/offers/?municipality={m}"},
        {
            "name": "catalog, 3 filters + search",
            "path": f"/offers/?municipality={m}&domain=sport&grade=5&week=40&q=sv%C3%B8mning",
        },
        {"name": "offer page", "path": f"/offers/{offer.slug}/"},
        {"name": "association page", "path": f"/associations/{association.slug}/"},
        {"name": "embed catalog", "path": f"/embed/offers/?municipality={m}"},
        {"name": "API offer list", "path": f"/api/municipalities/{m}/offers/"},
    ]


def rotating_pages() -> list[dict]:
    """Many distinct URLs per page (bench/rotating.py), each request another one."""
    lists = {
        "catalog, rotating searches": rotating.searches("/offers/"),
        "embed, rotating searches": rotating.searches("/embed/offers/"),
        "offer page, rotating": rotating.offer_pages(),
        "association page, rotating": rotating.association_pages(),
        "API offer list, rotating": rotating.searches("/api/", api=True),
    }
    return [
        {
            "name": name,
            "path": paths[0],
            "urls": rotating.write(URLS_FOLDER, name.split(",")[0].replace(" ", "-"), paths),
            "distinct": len(paths),
            "also_uncached": True,
        }
        for name, paths in lists.items()
    ]


def signed_in_pages(municipality, offer, membership, cookie: str) -> list[dict]:
    """A teacher's "My school" and booking POST, the consultant's dashboard (one
    municipality) and the operator's (98 municipalities, two school years)."""
    consultant, operator = bench_users(municipality)
    dashboards = rotating.dashboards(current_school_year())
    pages = [
        {
            "name": "my school (logged in)",
            "path": "/school/",
            "cookie": cookie,
            "also_uncached": True,
        },
        {
            "name": "consultant dashboard",
            "path": "/dashboard/",
            "cookie": session_cookie(consultant),
        },
        {
            "name": "dashboard, 98 municipalities",
            "path": dashboards[0],
            "urls": rotating.write(URLS_FOLDER, "dashboard", dashboards),
            "distinct": len(dashboards),
            "cookie": session_cookie(operator),
        },
    ]
    booking = booking_post(offer, membership, cookie)
    if booking:
        pages.append({**booking, "also_uncached": True})
    return pages


def bench_users(municipality):
    """The benchmark's consultant (of ``municipality``) and operator, made once."""
    consultant, _ = User.objects.get_or_create(
        email="bench-consultant@example.org", defaults={"full_name": "Bench consultant"}
    )
    Consultant.objects.get_or_create(user=consultant, defaults={"municipality": municipality})
    operator, _ = User.objects.get_or_create(
        email="bench-operator@example.org",
        defaults={"full_name": "Bench operator", "is_staff": True, "is_superuser": True},
    )
    return consultant, operator


def main() -> int:
    if not Municipality.objects.filter(slug="scale-1").exists():
        return 1
    if "--check" in sys.argv:
        return 0
    pages = collect_pages()
    for page in pages:
        page["queries"] = count_queries(page)
        page["queries_cached"] = count_queries(page, cached=True)
    data = {
        "municipalities": Municipality.objects.count(),
        "offers": Offer.objects.count(),
        "associations": Association.objects.count(),
    }
    data["bookings"] = Booking.objects.count()
    print(json.dumps({"data": data, "pages": pages}))
    return 0


def booking_post(offer, membership, cookie) -> dict | None:
    """The booking form's POST against an on-request offer of the membership's municipality.

    ``offer`` is the page's fixed-date offer; the POST needs an on-request one, so it picks
    one in the same municipality. Each request creates one requested booking.
    """
    # The previous runs' benchmark requests would pile up on this school's pages.
    Booking.objects.filter(school=membership.school, message=BENCH_MESSAGE).delete()
    municipality = membership.school.municipality
    target = (
        Offer.objects.published()
        .filter(association__municipalities=municipality, on_request=True)
        .order_by("pk")
        .first()
    )
    if target is None:
        return None
    day = next_school_day(timezone.localdate() + timedelta(days=21))
    start = datetime(day.year, day.month, day.day, 9, 0)
    grade = max(target.grade_min, min(5, target.grade_max))
    body = urlencode(
        {
            "csrfmiddlewaretoken": CSRF,
            "school": membership.school_id,
            "preferred_1": start.strftime("%Y-%m-%dT%H:%M"),
            "sessions": 1,
            "classes": f"{grade}.A",
            "class_count": 1,
            "grade": grade,
            "pupils": 24,
            "contact_teacher": membership.user_id,
            "special_needs": "",
            "message": BENCH_MESSAGE,
        }
    )
    return {
        "name": "booking POST (logged in)",
        "path": f"/offers/{target.slug}/book/",
        "method": "POST",
        "body": body,
        "content_type": "application/x-www-form-urlencoded",
        "cookie": cookie,
    }


if __name__ == "__main__":
    sys.exit(main())
