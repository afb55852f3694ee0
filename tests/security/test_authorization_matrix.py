"""Authorization matrix: every URL of the project (admin excluded) × every role × GET and POST.

Each URL pattern (by its name, e.g. ``catalog:offer_detail``) has an entry in ``MATRIX`` with
the URL's arguments (taken from the shared ``world``, ``tests/security/world.py``) and the expected status per role
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

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.world import KWARGS, ROLES, all_url_names

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
    # A step of an offer's form sent empty is a draft with nothing filled in: saved (nothing
    # is required before "Submit for screening"), then the next step. (An empty body to
    # "new" is no form at all: shown again.)
    "associations:offer_create": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "associations:offer_edit": E("L 404 200 404 404 404 404", "L 404 R 404 404 404 404"),
    "associations:offer_step": E("L 404 200 404 404 404 404", "L 404 R 404 404 404 404"),
    "associations:offer_photo_add": E("405", "L 404 400 404 404 404 404"),
    "associations:offer_photo_delete": E(
        "405", "L 404 R 404 404 404 404"
    ),  # dummy photo id: the admin of B is answered as for a photo already removed
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
    # The leader's approval: the signed e-mail link opens the booking for those who may see
    # it; only a leader of the booking's school may decide (the teacher X is not one).
    "bookings:approval_link": E("L 404 R R 404 R 404", "L 405 405 405 405 405 405"),
    "bookings:decide_approval": E("L 405 405 405 405 405 405", "L 404 403 403 404 403 404"),
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
    "knowledge:list": E("200", "405"),
    "knowledge:feed": E("200", "405"),
    # Municipality M's public material: public, so another municipality's consultant opens it
    # from a link too (their lists show their own and shared material only).
    "knowledge:detail": E("200", "405"),
    "knowledge:download": E("200", "405"),
    "knowledge:propose": E("L 200 200 200 200 200 200", "405"),
    # A completed booking of school X with association B's offer: each side may propose it.
    "knowledge:propose_booking": E("405", "L 404 R R 404 404 404"),
    "knowledge:propose_partnership": E("405", "L 404 404 404 404 404 404"),  # still proposed
    # Teacher X's proposal: theirs alone (the consultant screens it in the admin).
    "knowledge:proposal": E("L 404 404 200 404 404 404", "L 404 404 400 404 404 404"),
    "knowledge:proposal_photo": E("405", "L 404 404 400 404 404 404"),
    "knowledge:proposal_submit": E("405", "L 404 404 R 404 404 404"),
    "knowledge:proposal_photo_remove": E("405", "L 404 404 R 404 404 404"),
    # The draft's picture: its proposer and the consultant who screens it (no log-in page:
    # a published example's pictures are for visitors too).
    "knowledge:photo": E("404 404 404 200 404 200 404", "405"),
    "partnerships:association": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "partnerships:school": E("L 404 404 200 200 404 404", "L 404 404 200 200 404 404"),
    "partnerships:plan_create": E("405", "L 404 400 404 404 404 404"),  # an empty form
    "partnerships:plan": E("L 404 200 404 404 404 404", "L 404 200 404 404 404 404"),
    "partnerships:plan_add": E("405", "L 404 400 404 404 404 404"),  # an empty goal form
    "partnerships:plan_submit": E("405", "L 404 R 404 404 404 404"),
    "partnerships:plan_remove": E("405", "L 404 R 404 404 404 404"),
    "partnerships:plan_edit": E("405", "L 404 R 404 404 404 404"),  # a draft: told why not
    "partnerships:plan_change": E("405", "L 404 400 404 404 404 404"),  # an empty form
    # The approved plan on paper: the partner, the partnership's school X, the consultant.
    "partnerships:plan_print": E("L 404 200 200 404 200 404", "405"),
    "partnerships:plan_pdf": E("L 404 200 200 404 200 404", "405"),
    # Network meetings: the event invites partnership B (association B and school X); the
    # consultant of M sees it, nobody else. An empty sign-up is the page with its errors.
    "partnerships:events": E("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "partnerships:event": E("L 404 200 200 404 200 404", "L 405 405 405 405 405 405"),
    "partnerships:event_ics": E("L 404 200 200 404 200 404", "L 405 405 405 405 405 405"),
    "partnerships:event_register": E("405", "L 404 400 400 404 400 404"),
    "partnerships:event_cancel": E("405", "L 404 R 404 404 404 404"),  # B's own sign-up
    # The consultant's overview and status meetings: the municipality's consultants; the
    # other municipality's sees an empty overview and none of M's meetings. The calendar
    # file also for the partner (B) and the partnership's school (X).
    "partnerships:overview": E("L 404 404 404 404 200 200", "405"),
    "partnerships:meeting_new": E("L 404 404 404 404 200 404", "L 404 404 404 404 400 404"),
    "partnerships:meeting": E("L 404 404 404 404 200 404", "405"),
    "partnerships:meeting_minutes": E("405", "L 404 404 404 404 400 404"),  # empty minutes
    "partnerships:meeting_move": E("405", "L 404 404 404 404 400 404"),  # empty: the form
    "partnerships:meeting_cancel": E("405", "L 404 404 404 404 R 404"),
    "partnerships:meeting_ics": E("L 404 200 200 404 200 404", "405"),
    # The partner's yearly figures: an empty POST is the form again with its errors (400).
    "partnerships:figures": E("L 404 200 404 404 404 404", "L 404 400 404 404 404 404"),
    # Each consultant sees their own municipality's figures (con_o: none of M's).
    "partnerships:figures_overview": E("L 404 404 404 404 200 200", "405"),
    "schools:participate": E("L 200 200 404 404 404 404", "L 200 200 404 404 404 404"),
    # Only the event's school (tch_x) and the offering association (A) see the offer; only
    # the school answers. An empty POST is a form shown again with its errors.
    "schools:participation_detail": E("L 200 404 200 404 404 404", "L 405 405 405 405 405 405"),
    "schools:participation_answer": E("L 405 405 405 405 405 405", "L 403 404 200 404 404 404"),
    "schools:participation_message": E("L 405 405 405 405 405 405", "L 200 404 200 404 404 404"),
    "bookings:pool": E("L 404 404 404 404 200 200", "L 404 404 404 404 200 200"),
    # The pool is municipality M's: the other consultant's pool page does not have it.
    "bookings:pool_amount": E("L 405 405 405 405 405 405", "L 404 404 404 404 200 404"),
    "bookings:post_message": E(
        "L 405 405 405 405 405 405", "L 404 200 200 404 403 404"
    ),  # an empty message: the page again, with the error
    "schools:school_event_add": E("L 404 404 200 200 404 404", "L 404 404 200 200 404 404"),
    "schools:school_events": E("L 200 200 404 404 404 404", "L 200 200 404 404 404 404"),
    "catalog:association_detail": E("200", "405"),
    # The embed shows the browsed municipality's offers only: the other municipality's
    # consultant browses their own (B's offer is in M).
    "catalog:embed_detail": E("200 200 200 200 200 200 404", "405"),
    "catalog:embed_list": E("200", "405"),
    "catalog:embed_snippet": E("L 403 403 403 403 200 200", "405"),
    "catalog:favourite_list": E("L 403 403 200 200 403 403", "405"),
    "catalog:favourite_toggle": E("405", "L 403 403 R R 403 403"),
    "catalog:occasion_calendar": E("200", "405"),
    "catalog:offer_detail": E("200", "405"),
    "catalog:offer_feed": E("200", "405"),
    "catalog:offer_list": E("200", "405"),
    "catalog:offer_calendar": E("200", "405"),
    "catalog:offer_map": E("200", "405"),
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
    "schools:decide_staff": E("L 405 405 405 405 405 405", "L 404 404 404 R R 404"),
    "schools:join_school": E("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "screening:queue": E("L 404 404 404 404 R R", "L 404 404 404 404 R R"),
    "schools:school_staff": E("L 403 403 403 200 200 200", "L 403 403 403 200 200 200"),
    "set_language": E("R", "R"),
    "sso:callback": E("L", "405"),
    "sso:choose": E("200", "405"),
    "sso:start": E("404", "405"),  # dummy provider id
    "switch_language": E("R", "405"),
}


# --- The walk -------------------------------------------------------------------------------


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
