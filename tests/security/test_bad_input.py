"""Bad input (Hypothesis): arbitrary text, numbers, dates, huge values and unicode into every
public form and filter. No 500, and a rejected request changes no data.

Every example goes through the real view with the test client; an unhandled exception in a
view is raised by the client and fails the example (that is the "no 500" check).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.models import MapArea
from tests import factories as f

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a user could type or an attacker could send: unicode, control characters (no NUL:
# the test client refuses it before it reaches the view), long strings, SQL and HTML.
nasty = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    st.text(min_size=1000, max_size=5000),
    st.sampled_from(
        [
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "ÆØÅ æøå 🙂",
            "\u202e\u200b",
            "-1",
            "1e309",
            "NaN",
            "9" * 40,
            "2026-02-30",
            "0000-00-00",
            "9999-12-31T23:59",
            "  ",
        ]
    ),
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    nasty,
)
dates = st.one_of(
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%d-%m-%Y %H:%M")),
    nasty,
)


def fields(**strategies):
    """A dict of some of the given fields (others left out, as a crafted request may)."""
    return st.fixed_dictionaries({}, optional=strategies)


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"accounts", "associations", "schools", "bookings", "screening", "catalog"}
    }


def _assert_unchanged_when_rejected(response, before: dict[str, int]) -> None:
    if response.status_code in (301, 302, 303):
        return  # accepted (a valid form); what it may change is tested with the feature
    assert response.status_code < 500
    assert _counts() == before, f"a rejected request ({response.status_code}) changed data"


@pytest.fixture
def world(db):
    m = f.MunicipalityFactory(slug="helsingor", code="217")
    association = f.AssociationFactory(municipalities=[m], slug="klub")
    offer = f.OfferFactory(association=association, published=True, slug="tilbud", on_request=False)
    school = f.SchoolFactory(municipality=m)
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    from tests.bookings.conftest import school_day

    start = school_day(30)
    f.OccasionFactory(offer=offer, starts_at=start, ends_at=start + timedelta(hours=2))
    consultant = f.ConsultantFactory(municipality=m).user
    square = [[12.6, 56.03], [12.62, 56.03], [12.62, 56.04], [12.6, 56.04], [12.6, 56.03]]
    MapArea.objects.create(
        municipality=m, name="Område", geometry={"type": "MultiPolygon", "coordinates": [[square]]}
    )
    return {"m": m, "offer": offer, "school": school, "teacher": teacher, "consultant": consultant}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Many examples in a row: the limits are tested elsewhere (test_hardening).
    settings.PORTAL_SIGNUP_RATE = "100000/h"
    settings.AXES_ENABLED = False


@SETTINGS
@given(data=fields(username=nasty, password=nasty, next=nasty))
def test_login_form(world, data):
    cache.clear()
    before = _counts()
    response = Client().post(reverse("accounts:login"), data)
    assert response.status_code == 200  # never logged in with garbage
    _assert_unchanged_when_rejected(response, before)


@SETTINGS
@given(data=fields(full_name=nasty, email=nasty, password1=nasty, password2=nasty))
def test_signup_form(world, data):
    cache.clear()
    before = _counts()
    response = Client().post(reverse("accounts:signup"), data)
    _assert_unchanged_when_rejected(response, before)


@SETTINGS
@given(data=fields(email=nasty))
def test_password_reset_form(world, data):
    response = Client().post(reverse("accounts:password_reset"), data)
    assert response.status_code in (200, 302)


@SETTINGS
@given(
    params=fields(
        q=nasty,
        domain=nasty,
        subject=numbers,
        grade=numbers,
        format=nasty,
        where=nasty,
        free=nasty,
        max_price=numbers,
        week=numbers,
        weekday=numbers,
        postal_code=nasty,
        distance=numbers,
        sort=nasty,
        page=numbers,
        municipality=nasty,
        month=nasty,
        week_of=nasty,
    )
)
def test_catalog_filters(world, params):
    cache.clear()
    for name in (
        "catalog:offer_list",
        "catalog:embed_list",
        "catalog:offer_calendar",
        "catalog:offer_map",
    ):
        response = Client().get(reverse(name), params)
        assert response.status_code in (200, 400, 404), (name, params)


@SETTINGS
@given(params=fields(area=numbers, near=numbers, grade=numbers, domain=nasty, q=nasty))
def test_consultant_map_area_filter(world, params):
    client = Client()
    client.force_login(world["consultant"])
    response = client.get(reverse("catalog:offer_map"), params)
    assert response.status_code in (200, 400)


@SETTINGS
@given(params=fields(q=nasty, domain=nasty, grade=numbers, page=numbers, school=numbers))
def test_needs_board_filters(world, params):
    client = Client()
    client.force_login(world["teacher"])
    response = client.get(reverse("schools:need_list"), params)
    assert response.status_code in (200, 400, 404)


@SETTINGS
@given(
    data=fields(
        school=numbers,
        title=nasty,
        description=nasty,
        grade_min=numbers,
        grade_max=numbers,
        pupils=numbers,
        period_start=dates,
        period_end=dates,
        domain=nasty,
        subjects=numbers,
        budget=numbers,
    )
)
def test_need_form(world, data):
    client = Client()
    client.force_login(world["teacher"])
    before = _counts()
    response = client.post(reverse("schools:need_create"), data)
    _assert_unchanged_when_rejected(response, before)


@SETTINGS
@given(
    data=fields(
        school=numbers,
        occasion=numbers,
        join_waiting_list=nasty,
        preferred_1=dates,
        preferred_2=dates,
        preferred_3=dates,
        sessions=numbers,
        classes=nasty,
        class_count=numbers,
        grade=numbers,
        pupils=numbers,
        contact_teacher=numbers,
        special_needs=nasty,
        message=nasty,
    )
)
def test_booking_form(world, data):
    cache.clear()
    client = Client()
    client.force_login(world["teacher"])
    before = _counts()
    response = client.post(reverse("bookings:book_offer", kwargs={"slug": "tilbud"}), data)
    _assert_unchanged_when_rejected(response, before)


@SETTINGS
@given(path=nasty)
def test_arbitrary_paths_never_fail(world, path):
    from urllib.parse import quote

    response = Client().get("/" + quote(path[:300]))
    assert response.status_code < 500
