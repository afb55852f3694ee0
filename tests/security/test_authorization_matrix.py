"""Authorization matrix: every URL of the project (admin excluded) × every role × GET and POST.

Each URL pattern (by its name, e.g. ``catalog:offer_detail``) has an entry in ``MATRIX`` with
the URL's arguments (taken from the shared ``world`` below) and the expected status per role
for GET and for POST. A URL pattern without an entry FAILS the test: add it to ``MATRIX``.

Statuses are written per role in the order of ``ROLES``; ``L`` means "redirect to the log-in
page", ``R`` any other redirect. A single value applies to every role.

    anon   – not logged in
    mem_a  – member (not admin) of association A
    adm_b  – admin of association B (owns the objects of B used in the URLs)
    tch_x  – teacher at school X (owns the booking and the need used in the URLs)
    head_y – department head at school Y (same municipality, another school)
    con_m  – consultant of municipality M (where A, B, X and Y are)
    con_o  – consultant of another municipality

POSTs are sent with an empty body and rolled back afterwards, so one request never changes
what the next one sees. To print the observed matrix (to review it, never to copy blindly):
``PORTAL_MATRIX_DUMP=1 pytest tests/security/test_authorization_matrix.py -s``.
"""

from __future__ import annotations

import copy
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from tests import factories as f

ROLES = ["anon", "mem_a", "adm_b", "tch_x", "head_y", "con_m", "con_o"]
DUMMY_INT = 999999
DUMMY_TOKEN = "invalid-token"


# --- The world ------------------------------------------------------------------------------


class World(dict):
    def __getattr__(self, name):
        return self[name]


def _try(world: World, key: str, build, fallback):
    """Build an object of a feature still in flux; fall back to a dummy value if we cannot."""
    try:
        with transaction.atomic():
            world[key] = build()
    except Exception as exc:  # noqa: BLE001 - report which part of the world is missing
        world[key] = fallback
        world.setdefault("_missing", []).append(f"{key}: {type(exc).__name__}: {exc}")


@pytest.fixture
def world(db):
    w = World()
    w.m = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    w.o = f.MunicipalityFactory(name="Fredensborg Kommune", slug="fredensborg", code="210")
    w.assoc_a = f.AssociationFactory(municipalities=[w.m], slug="forening-a")
    w.assoc_b = f.AssociationFactory(municipalities=[w.m], slug="forening-b")
    w.school_x = f.SchoolFactory(municipality=w.m, slug="skole-x")
    w.school_y = f.SchoolFactory(municipality=w.m, slug="skole-y")
    w.users = {
        "anon": None,
        "mem_a": f.AssociationMembershipFactory(association=w.assoc_a, role="member").user,
        "adm_b": f.AssociationMembershipFactory(association=w.assoc_b, role="admin").user,
        "tch_x": f.SchoolMembershipFactory(school=w.school_x, role="teacher").user,
        "head_y": f.SchoolMembershipFactory(school=w.school_y, role="department_head").user,
        "con_m": f.ConsultantFactory(municipality=w.m).user,
        "con_o": f.ConsultantFactory(municipality=w.o).user,
    }
    # Another member of B (the target of "remove member" / "set role").
    w.member_b = f.AssociationMembershipFactory(association=w.assoc_b, role="member")
    w.offer_a = f.OfferFactory(association=w.assoc_a, published=True, slug="tilbud-a")
    w.offer_b = f.OfferFactory(
        association=w.assoc_b, published=True, slug="tilbud-b", on_request=False
    )
    w.instructor_b = f.InstructorFactory(association=w.assoc_b)

    def occasion():
        from tests.bookings.conftest import school_day

        start = school_day(30)
        return f.OccasionFactory(
            offer=w.offer_b, starts_at=start, ends_at=start + timedelta(hours=2), capacity=1
        )

    _try(w, "occasion_b", occasion, None)

    def booking():
        from tests.bookings.conftest import make_booking

        return make_booking(w.users["tch_x"], w.school_x, w.offer_b, w.occasion_b)

    _try(w, "booking_x", booking, None)

    def waiting():
        from bookings.models import WaitingListEntry

        return WaitingListEntry.objects.create(
            occasion=w.occasion_b,
            school=w.school_x,
            requested_by=w.users["tch_x"],
            places=1,
            classes="6.B",
            grade=6,
            pupils=20,
        )

    _try(w, "waiting_x", waiting, None)

    def need():
        from tests.schools.factories import SchoolNeedFactory

        return SchoolNeedFactory(school=w.school_x, created_by=w.users["tch_x"])

    _try(w, "need_x", need, None)

    def event():
        from bookings.models import SchoolEvent

        return SchoolEvent.objects.create(
            school=w.school_x,
            title="Idrætsdag",
            starts_on=timezone.localdate() + timedelta(days=40),
            ends_on=timezone.localdate() + timedelta(days=40),
            grade_min=0,
            grade_max=9,
            created_by=w.users["tch_x"],
        )

    _try(w, "event_x", event, None)

    def invitation():
        from associations.models import Invitation

        return Invitation.objects.create(
            association=w.assoc_b, email="ny@example.com", invited_by=w.users["adm_b"]
        )

    _try(w, "invitation_b", invitation, None)

    def invitation_token():
        from associations.services import invitation_token

        return invitation_token(w.invitation_b)

    _try(w, "invitation_token", invitation_token, DUMMY_TOKEN)

    def join_request():
        from associations.models import JoinRequest

        return JoinRequest.objects.create(association=w.assoc_b, user=f.UserFactory())

    _try(w, "join_request_b", join_request, None)

    def pending_staff():
        return f.SchoolMembershipFactory(
            school=w.school_y, role="teacher", is_approved=False, approved_at=None
        )

    _try(w, "pending_staff_y", pending_staff, None)

    def school_feed():
        from bookings.models import CalendarFeed

        return CalendarFeed.objects.create(school=w.school_x)

    _try(w, "feed_x", school_feed, None)

    def unsubscribe():
        from notifications.kinds import optional_kinds
        from notifications.services import unsubscribe_token

        # An e-mail kind that a user may turn off (the essential ones cannot be unsubscribed).
        return unsubscribe_token(w.users["tch_x"], optional_kinds()[0].code)

    _try(w, "unsubscribe_token", unsubscribe, DUMMY_TOKEN)

    def confirm():
        from accounts.services import confirmation_token

        return confirmation_token(f.UserFactory(email_confirmed_at=None))

    _try(w, "confirm_token", confirm, DUMMY_TOKEN)
    return w


def pk(obj) -> int:
    return obj.pk if obj is not None else DUMMY_INT


def _b(w):
    return {"slug": w.assoc_b.slug}


def _ob(w):
    return {"slug": w.assoc_b.slug, "offer_id": w.offer_b.pk}


# URL arguments per URL name, from the world above (objects of B and of school X).
KWARGS = {
    "switch_language": lambda w: {"code": "en"},
    "accounts:confirm_email": lambda w: {"token": w.confirm_token},
    "accounts:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "catalog:offer_feed": lambda w: {"municipality": w.m.slug},
    "catalog:occasion_calendar": lambda w: {"municipality": w.m.slug},
    "catalog:offer_detail": lambda w: {"slug": w.offer_b.slug},
    "catalog:favourite_toggle": lambda w: {"slug": w.offer_b.slug},
    "catalog:association_detail": _b,
    "catalog:embed_detail": lambda w: {"slug": w.offer_b.slug},
    "associations:invitation": lambda w: {"token": w.invitation_token},
    "associations:detail": _b,
    "associations:profile_edit": _b,
    "associations:profile_preview": _b,
    "associations:profile_submit": _b,
    "associations:profile_withdraw": _b,
    "associations:profile_reopen": _b,
    "associations:invite": _b,
    "associations:revoke_invitation": lambda w: {**_b(w), "invitation_id": pk(w.invitation_b)},
    "associations:remove_member": lambda w: {**_b(w), "membership_id": w.member_b.pk},
    "associations:set_role": lambda w: {**_b(w), "membership_id": w.member_b.pk},
    "associations:decide_join_request": lambda w: {
        **_b(w),
        "request_id": pk(w.join_request_b),
        "decision": "approve",
    },
    "associations:instructor_create": _b,
    "associations:instructor_edit": lambda w: {**_b(w), "instructor_id": w.instructor_b.pk},
    "associations:instructor_delete": lambda w: {**_b(w), "instructor_id": w.instructor_b.pk},
    "associations:offer_create": _b,
    "associations:offer_edit": _ob,
    "associations:offer_preview": _ob,
    "associations:offer_photo_add": _ob,
    "associations:offer_photo_delete": lambda w: {**_ob(w), "photo_id": DUMMY_INT},
    "associations:offer_action": lambda w: {**_ob(w), "action": "pause"},
    "schools:need_detail": lambda w: {"pk": pk(w.need_x)},
    "schools:need_close": lambda w: {"pk": pk(w.need_x)},
    "screening:decide_staff": lambda w: {"pk": pk(w.pending_staff_y)},
    "bookings:book_offer": lambda w: {"slug": w.offer_b.slug},
    "bookings:detail": lambda w: {"pk": pk(w.booking_x)},
    "bookings:post_message": lambda w: {"pk": pk(w.booking_x)},
    "bookings:evaluate": lambda w: {"pk": pk(w.booking_x)},
    "bookings:action": lambda w: {"pk": pk(w.booking_x), "action": "confirm"},
    "bookings:feed": lambda w: {"token": w.feed_x.token if w.feed_x else DUMMY_TOKEN},
    "bookings:feed_manage": lambda w: {
        "kind": "school",
        "pk": w.school_x.pk,
        "action": "regenerate",
    },
    "bookings:accept_waiting": lambda w: {"pk": pk(w.waiting_x)},
    "bookings:leave_waiting": lambda w: {"pk": pk(w.waiting_x)},
    "bookings:participate": lambda w: {"pk": pk(w.event_x)},
    "bookings:occasions": lambda w: {"offer_pk": w.offer_b.pk},
    "bookings:occasion_edit": lambda w: {"pk": pk(w.occasion_b)},
    "bookings:occasion_cancel": lambda w: {"pk": pk(w.occasion_b)},
    "bookings:my_association_bookings": lambda w: {"pk": w.assoc_b.pk},
    "notifications:unsubscribe": lambda w: {"token": w.unsubscribe_token},
    "dashboard:export": lambda w: {"table": "collaborations-by-month", "fmt": "csv"},
    "dashboard:key_figures": lambda w: {"slug": w.m.slug},
    "dashboard:key_figures_embed": lambda w: {"slug": w.m.slug},
    "sso:start": lambda w: {"pk": DUMMY_INT},
    "api:offers": lambda w: {"slug": w.m.slug},
    "api:associations": lambda w: {"slug": w.m.slug},
    "api:occasions": lambda w: {"slug": w.m.slug},
}


# --- The matrix -----------------------------------------------------------------------------


def E(get: str, post: str, note: str = ""):  # noqa: N802 - reads like a table
    return {"get": get, "post": post, "note": note}


# ROLES:                     anon mem_a adm_b tch_x head_y con_m con_o
MATRIX: dict[str, dict] = {
    "accessibility": E("200", "405"),
    "accounts:confirm_email": E("L", "L"),  # the token belongs to another (unconfirmed) user
    "accounts:home": E("L R R R R R R", "L R R R R R R"),
    "accounts:login": E("200 R R R R R R", "200 R R R R R R"),
    "accounts:logout": E("405", "R"),
    "accounts:password_reset": E("200", "200"),
    "accounts:password_reset_complete": E("200", "405"),
    "accounts:password_reset_confirm": E("200", "200"),
    "accounts:password_reset_done": E("200", "405"),
    "accounts:resend_confirmation": E("405", "L R R R R R R"),
    "accounts:signup": E("200 R R R R R R", "200 R R R R R R"),
    "accounts:signup_done": E("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "api:associations": E("200", "405"),
    "api:docs": E("200", "405"),
    "api:index": E("200", "405"),
    "api:municipalities": E("200", "405"),
    "api:occasions": E("200", "405"),
    "api:offers": E("200", "405"),
    "api:schema": E("200", "405"),
    "associations:create": E("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "associations:decide_join_request": E("405", "L 404 R 404 404 404 404"),
    "associations:detail": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:instructor_create": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:instructor_delete": E("405", "L 404 R 404 404 404 404"),
    "associations:instructor_edit": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:invitation": E("200", "200"),
    "associations:invitation_list": E("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "associations:invite": E("405", "L 404 R 404 404 404 404"),
    "associations:join_request": E("405", "L R R R R R R"),
    "associations:mine": E("L R R R R R R", "L R R R R R R"),
    "associations:offer_action": E("405", "L 404 R 404 404 404 404"),
    "associations:offer_create": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:offer_edit": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:offer_photo_add": E("405", "L 404 400 404 404 404 404"),
    "associations:offer_photo_delete": E(
        "405", "L 404 404 404 404 404 404"
    ),  # dummy photo id: 404 even for the admin of B
    "associations:offer_preview": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:profile_edit": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:profile_preview": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:profile_reopen": E("405", "L 404 R 404 404 404 404"),
    "associations:profile_submit": E("405", "L 404 R 404 404 404 404"),
    "associations:profile_withdraw": E("405", "L 404 R 404 404 404 404"),
    "associations:remove_member": E("405", "L 404 R 404 404 404 404"),
    "associations:revoke_invitation": E("405", "L 404 R 404 404 404 404"),
    "associations:set_role": E(
        "405", "L 404 404 404 404 404 404"
    ),  # empty POST: no valid role, 404 also for the admin
    "bookings:accept_waiting": E("L 405 405 405 405 405 405", "L 404 404 R 404 404 404"),
    "bookings:action": E("L 405 405 405 405 405 405", "L 404 R R 404 R 404"),
    "bookings:book_offer": E("L 403 403 200 200 403 403", "L 403 403 200 200 403 403"),
    "bookings:consultant": E("L 404 404 404 404 200 200", "L 404 404 404 404 200 200"),
    "bookings:detail": E("L 404 200 200 404 200 404", "L 404 200 200 404 200 404"),
    "bookings:evaluate": E("L 405 405 405 405 405 405", "L 404 R R 404 403 404"),
    "bookings:feed": E("200", "405"),
    "bookings:feed_manage": E("L 405 405 405 405 405 405", "L 404 404 R 404 404 404"),
    "bookings:leave_waiting": E("L 405 405 405 405 405 405", "L 404 404 R 404 404 404"),
    "bookings:my_association_bookings": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "bookings:my_ics": E("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "bookings:my_school": E("L 404 404 200 200 404 404", "L 404 404 200 200 404 404"),
    "bookings:occasion_cancel": E("L 405 405 405 405 405 405", "L 404 R 404 404 404 404"),
    "bookings:occasion_edit": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "bookings:occasions": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "bookings:participate": E("L 200 200 404 404 404 404", "L 200 200 404 404 404 404"),
    "bookings:pool": E("L 404 404 404 404 200 200", "L 404 404 404 404 200 200"),
    "bookings:post_message": E(
        "L 405 405 405 405 405 405", "L 404 200 200 404 403 404"
    ),  # an empty message: the page again, with the error
    "bookings:school_event_add": E("L 404 404 200 200 404 404", "L 404 404 200 200 404 404"),
    "bookings:school_events": E("L 200 200 404 404 404 404", "L 200 200 404 404 404 404"),
    "catalog:association_detail": E("200", "405"),
    "catalog:embed_detail": E("200", "405"),
    "catalog:embed_list": E("200", "405"),
    "catalog:embed_snippet": E("L 403 403 403 403 200 200", "405"),
    "catalog:favourite_list": E("L 403 403 200 200 403 403", "405"),
    "catalog:favourite_toggle": E("405", "L 403 403 R R 403 403"),
    "catalog:occasion_calendar": E("200", "405"),
    "catalog:offer_detail": E("200", "405"),
    "catalog:offer_feed": E("200", "405"),
    "catalog:offer_list": E("200", "405"),
    "contact": E("200", "405"),
    "dashboard:export": E("L 403 403 403 403 200 200", "405"),
    "dashboard:index": E("L 403 403 403 403 200 200", "405"),
    "dashboard:key_figures": E("404", "405"),  # 404: key figures not published for M in this world
    "dashboard:key_figures_embed": E(
        "404", "405"
    ),  # 404: key figures not published for M in this world
    "healthz": E("200", "405"),
    "home": E("200", "405"),
    "notifications:settings": E("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "notifications:unsubscribe": E("200", "200"),
    "ping": E("200", "405"),
    "privacy": E("200", "405"),
    "privacy:delete_account": E("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "privacy:download": E("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "privacy:my_data": E("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "schools:need_close": E("L 405 405 405 405 405 405", "L 403 403 R 404 403 404"),
    "schools:need_create": E("L 403 403 200 200 403 403", "L 403 403 200 200 403 403"),
    "schools:need_detail": E(
        "L 200 200 200 404 200 404", "L 200 200 403 404 403 404"
    ),  # a need: its school, associations and M's consultant
    "schools:need_list": E("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "screening:decide_staff": E("L 405 405 405 405 405 405", "L 404 404 404 R R 404"),
    "screening:join_school": E("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "screening:queue": E("L 404 404 404 404 R R", "L 404 404 404 404 R R"),
    "screening:school_staff": E("L 403 403 403 200 200 200", "L 403 403 403 200 200 200"),
    "set_language": E("R", "R"),
    "sso:callback": E("L", "405"),
    "sso:choose": E("200", "405"),
    "sso:start": E("404", "405"),  # dummy provider id
    "switch_language": E("R", "405"),
}


# --- The walk -------------------------------------------------------------------------------


def all_url_names() -> list[str]:
    names = []

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/"):
                    continue
                walk(p.url_patterns, p.namespace or ns)
            else:
                names.append(f"{ns}:{p.name}" if ns else str(p.name))

    walk(get_resolver().url_patterns, None)
    return names


def classify(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        login = reverse(settings.LOGIN_URL)
        return "L" if location.split("?")[0].endswith(login) else "R"
    return str(response.status_code)


def expected_for(spec: str, role: str) -> str:
    values = spec.split()
    if len(values) == 1:
        return values[0]
    assert len(values) == len(ROLES), f"{spec!r}: give one status or one per role"
    return values[ROLES.index(role)]


def test_every_url_has_an_entry():
    missing = sorted(set(all_url_names()) - set(MATRIX))
    assert not missing, (
        "These URL patterns have no entry in tests/security/test_authorization_matrix.py "
        "MATRIX; add one with the expected status per role:\n  " + "\n  ".join(missing)
    )


def test_no_stale_entries():
    stale = sorted(set(MATRIX) - set(all_url_names()))
    assert not stale, f"MATRIX lists URL names that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(world, role):
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    cookies = copy.deepcopy(client.cookies)
    observed: dict[str, tuple[str, str]] = {}
    mismatches = []
    dump = bool(os.environ.get("PORTAL_MATRIX_DUMP"))
    names = set(all_url_names()) if dump else set(all_url_names()) & set(MATRIX)
    for name in sorted(names):
        entry = MATRIX.get(name, {"get": "?", "post": "?"})
        url = reverse(name, kwargs=KWARGS.get(name, lambda w: {})(world))
        results = []
        for method in ("get", "post"):
            cache.clear()  # rate limits and cached pages start empty for every request
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
            # The database is rolled back; so must the client's cookies be (log-out, language).
            client.cookies = copy.deepcopy(cookies)
            got = classify(response)
            results.append(got)
            want = expected_for(entry[method], role)
            if got != want:
                mismatches.append(
                    f"{method.upper()} {name} ({url}) as {role}: {got}, expected {want}"
                )
        observed[name] = tuple(results)
    if dump:
        print(f"\n### {role}  (world gaps: {world.get('_missing', [])})")
        for name, (g, p) in observed.items():
            print(f"{role}\t{name}\t{g}\t{p}")
    assert not mismatches, "\n".join(mismatches)
