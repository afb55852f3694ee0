"""Hostile input against every form and every URL with a parameter, as every role (Hypothesis).

For each URL name of the project (the authorization matrix lists them all):

1. **The forms.** The page that shows the URL's forms (the URL itself, or ``HOSTS``) is loaded
   as the role, or else as a role that may use it, and each ``<form>`` that sends to the URL is
   read as a browser would: its fields, their types (date, datetime, number, select with its
   options, checkbox, hidden, text) and their values.
2. **An example.** Hypothesis picks a role (mostly one that may use the form, sometimes a
   stranger) and one of the forms, fills most fields as an honest user would and one to three
   with hostile values (dates in year 1 or 9999, NUL and control characters, huge and negative
   numbers, non-numeric ids, long text), sometimes adds a field the form does not have, and
   sometimes replaces an id, slug or token in the URL itself. Pages are also asked with
   hostile query parameters.
3. **The checks.** No 5xx: the test client raises a view's exception, which fails the example.
   And no row changed outside the acting party's own: every tracked table is read before and
   after, and each changed row is traced through its foreign keys to the association, school,
   municipality or user it belongs to (``hostile.Owners.belongs_to``).

Each request runs in a transaction that is rolled back, so every example meets the same world.
``HOSTILE_EXAMPLES`` sets the number of examples per URL (CI replays a fixed set: see
``tests/conftest.py``).
"""

from __future__ import annotations

import copy
import os
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories as f
from tests.security import hostile
from tests.security.test_authorization_matrix import MATRIX, expected_for
from tests.security.world import KWARGS, ROLES, pk

#: Examples per URL: a page without a form needs few; a form with fields gets more.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "6"))
FORM_EXAMPLES = int(os.environ.get("HOSTILE_FORM_EXAMPLES", "20"))
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _offer_last_step(w) -> dict:
    return {**KWARGS["associations:offer_edit"](w), "step": "submit"}


#: URLs whose forms are shown on another page: URL name -> the pages (name, arguments).
HOSTS = {
    "accounts:logout": [("home", None)],
    "accounts:resend_confirmation": [("accounts:signup_done", None)],
    "associations:join_request": [("associations:create", None)],
    "knowledge:propose_booking": [("knowledge:propose", None)],
    "knowledge:propose_partnership": [("knowledge:propose", None)],
    "knowledge:proposal_photo": [("knowledge:proposal", KWARGS["knowledge:proposal"])],
    "knowledge:proposal_submit": [("knowledge:proposal", KWARGS["knowledge:proposal"])],
    "knowledge:proposal_photo_remove": [("knowledge:proposal", KWARGS["knowledge:proposal"])],
    **{
        name: [("associations:detail", KWARGS["associations:detail"])]
        for name in (
            "associations:decide_join_request",
            "associations:instructor_delete",
            "associations:invite",
            "associations:offer_action",
            "associations:profile_reopen",
            "associations:profile_submit",
            "associations:profile_withdraw",
            "associations:remove_member",
            "associations:revoke_invitation",
            "associations:set_role",
        )
    },
    # The photos are on the offer form's last step.
    "associations:offer_photo_add": [("associations:offer_step", _offer_last_step)],
    "associations:offer_photo_delete": [("associations:offer_step", _offer_last_step)],
    **{
        name: [
            ("bookings:detail", KWARGS["bookings:detail"]),
            ("bookings:detail", lambda w: {"pk": pk(w.request_x)}),
            ("bookings:detail", lambda w: {"pk": pk(w.completed_x)}),
        ]
        for name in ("bookings:action", "bookings:evaluate", "bookings:post_message")
    },
    "bookings:accept_waiting": [("bookings:my_school", None)],
    "bookings:leave_waiting": [("bookings:my_school", None)],
    "bookings:feed_manage": [
        ("bookings:my_school", None),
        ("bookings:my_association_bookings", KWARGS["bookings:my_association_bookings"]),
    ],
    "bookings:occasion_cancel": [("bookings:occasion_edit", KWARGS["bookings:occasion_edit"])],
    "bookings:pool_amount": [("bookings:pool", None)],
    "catalog:favourite_toggle": [("catalog:offer_detail", KWARGS["catalog:offer_detail"])],
    "partnerships:event_register": [("partnerships:event", KWARGS["partnerships:event"])],
    "partnerships:event_cancel": [("partnerships:event", KWARGS["partnerships:event"])],
    "schools:need_close": [("schools:need_detail", KWARGS["schools:need_detail"])],
    "schools:decide_staff": [("schools:school_staff", None)],
    "partnerships:meeting_minutes": [("partnerships:meeting", KWARGS["partnerships:meeting"])],
    "partnerships:meeting_cancel": [("partnerships:meeting", KWARGS["partnerships:meeting"])],
}

#: Forms this world never shows (a button for another state, a form for a newcomer): they are
#: sent without a page, with these fields and hostile values.
UNSHOWN = {
    "accounts:resend_confirmation": {},
    "associations:join_request": {"association": "select", "message": "textarea"},
    "associations:offer_photo_delete": {},
    "associations:profile_reopen": {},
    "associations:profile_submit": {},
    "bookings:accept_waiting": {},
    "knowledge:propose_partnership": {},  # the world's partnership is still proposed
}

#: More than one URL of a name is worth trying: an offer booked on request (preferred dates)
#: as well as one with fixed dates.
VARIANTS = {
    "bookings:book_offer": [lambda w: {"slug": w.offer_b2.slug}],
    "bookings:detail": [lambda w: {"pk": pk(w.request_x)}],
}

#: Query parameters some page reads outside a form.
QUERY = ["next", "page", "lang", "height", "municipality", "school", "all", "period", "q"]
QUERY += ["state", "code", "error", "grade", "week", "sort", "page_size", "format", "domain"]

#: A value of each kind of URL argument that its converter lets through.
URL_VALUES = {
    "int": st.sampled_from(["0", str(2**31), str(2**63), str(2**70), "9" * 30]),
    "slug": st.sampled_from(["-", "x" * 300, "_", "a--b", "0"]),
    "str": st.sampled_from(hostile.CONTROL + hostile.IDS + ["x" * 2000, "..", "ÆØÅ"]),
}
URL_VALUES["path"] = URL_VALUES["str"]


def reachers(name: str) -> list[str]:
    """The roles that get past the URL's access check (from the authorization matrix), or
    for a URL whose form is on another page, the roles that see that page."""
    entry = MATRIX[name]
    found = [
        role
        for role in ROLES
        if expected_for(entry["post"], role) in ("200", "R", "400")
        or expected_for(entry["get"], role) == "200"
    ]
    return found or [r for host, _ in HOSTS.get(name, []) for r in reachers(host) if host != name]


@pytest.fixture
def fuzz_world(world):
    from tests.bookings.conftest import make_booking

    # An offer of B booked on request: its confirmation chooses one of the preferred dates.
    world.offer_b2 = f.OfferFactory(association=world.assoc_b, published=True, on_request=True)
    world.request_x = make_booking(world.users["tch_x"], world.school_x, world.offer_b2)
    # A booking that took place: both sides may evaluate it.
    world.completed_x = make_booking(world.users["tch_x"], world.school_x, world.offer_b2)
    past = timezone.now() - timedelta(days=3)
    type(world.completed_x).objects.filter(pk=world.completed_x.pk).update(
        state="completed", starts_at=past, ends_at=past + timedelta(hours=2)
    )
    world.clients = {}
    for role, user in world.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        world.clients[role] = (client, copy.deepcopy(client.cookies))
    world.forms = {}
    world.rows = hostile.snapshot()
    return world


#: Links that act for the user they were sent to, whoever follows them.
TOKEN_USERS = {
    "accounts:confirm_email": lambda w: w.unconfirmed,
    "notifications:unsubscribe": lambda w: w.users["tch_x"],
}


def actor(world, role, url) -> tuple[set, set]:
    """The parties a role acts for, and the municipalities whose parties it may change."""
    parties = set()
    name = view_name(url)
    if name in TOKEN_USERS and urlsplit(url).path == reverse(name, kwargs=KWARGS[name](world)):
        parties.add(("accounts.user", TOKEN_USERS[name](world).pk))
    user = world.users[role]
    if user is None:
        return parties, set()
    parties.add(("accounts.user", user.pk))
    org = {
        "mem_a": ("associations.association", world.assoc_a.pk),
        "adm_b": ("associations.association", world.assoc_b.pk),
        "tch_x": ("schools.school", world.school_x.pk),
        "head_y": ("schools.school", world.school_y.pk),
    }.get(role)
    municipality = {"con_m": world.m.pk, "con_o": world.o.pk}.get(role)
    return parties | ({org} if org else set()), {municipality} if municipality else set()


def send(world, role: str, method: str, url: str, data=None):
    """One request in a transaction that is rolled back; returns the response and the rows
    it changed that do not belong to the role."""
    client, cookies = world.clients[role]
    client.cookies = copy.deepcopy(cookies)
    cache.clear()  # rate limits and cached pages start empty
    with transaction.atomic():
        written = hostile.write_count()
        response = getattr(client, method)(url, data or {})
        # Every request meets the same world, so "before" is read once per test.
        after = hostile.snapshot() if hostile.write_count() != written else None
        transaction.set_rollback(True)
    if after is None:
        return response, []
    owners = hostile.Owners(world.rows, after)
    parties, municipalities = actor(world, role, url)
    foreign = [
        c
        for c in hostile.changes(world.rows, after)
        if not owners.belongs_to(c, parties, municipalities)
    ]
    return response, foreign


def urls_of(world, name: str) -> list[str]:
    fns = [KWARGS.get(name, lambda w: {})] + VARIANTS.get(name, [])
    return [reverse(name, kwargs=fn(world)) for fn in fns]


def view_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def forms_for(world, name: str, role: str) -> list[hostile.Form]:
    """The forms that send to a URL of this name, as the role sees them (or, when the role
    sees none, as a role that may use them)."""
    key = (name, role)
    if key not in world.forms:
        hosts = HOSTS.get(name) or [
            (name, fn) for fn in [KWARGS.get(name)] + VARIANTS.get(name, [])
        ]
        found = []
        for host, fn in hosts:
            url = reverse(host, kwargs=fn(world) if fn else {})
            response, _ = send(world, role, "get", url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                page = response.content.decode()
                found += [f for f in hostile.forms_on(page, url) if view_name(f.action) == name]
        if not found and role not in reachers(name)[:1]:
            found = [f for r in reachers(name)[:1] for f in forms_for(world, name, r)]
        world.forms[key] = found
    return world.forms[key]


#: How much more often a field of a type is picked for a hostile value than free text.
WEIGHT = {"date": 4, "datetime-local": 4, "number": 2, "select": 2, "radio": 2, "hidden": 2}


def fill(form: hostile.Form, data, good_date) -> dict:
    """Most fields as an honest user fills them, one or two hostile (dates, numbers and
    ids more often than text), sometimes a field the form does not have."""
    names = sorted(form.fields)
    weighted = [n for n in names for _ in range(WEIGHT.get(form.fields[n].kind, 1))]
    chosen = data.draw(st.lists(st.sampled_from(weighted), max_size=2)) if names else []
    values = {}
    for name in names:
        field = form.fields[name]
        if name in chosen:
            value = data.draw(hostile.hostile_value(field.kind))
            if field.multiple and data.draw(st.booleans()):
                value = [value, data.draw(hostile.hostile_value(field.kind))]
            values[name] = value
        else:
            value = hostile.valid_value(field, good_date)
            if value is not None:
                values[name] = value
    if form.buttons and data.draw(st.booleans()):
        button, value = data.draw(st.sampled_from(form.buttons))
        values[button] = value
    if data.draw(st.integers(0, 5)) == 0:
        extra = data.draw(st.sampled_from(QUERY + ["id", "pk", "association", "offer"]))
        values[extra] = data.draw(hostile.hostile_text)
    return values


def converters_of(route: str) -> dict[str, str]:
    """{argument: converter} of a URL route such as ``calendar/<str:token>.ics``."""
    return {n: c or "str" for c, n in re.findall(r"<(?:(\w+):)?(\w+)>", route)}


def tamper_url(url: str, data) -> str:
    """Sometimes replace one argument of the URL (an id, a slug, a token) with a hostile one."""
    match = resolve(urlsplit(url).path)
    if not match.kwargs or data.draw(st.integers(0, 3)) != 0:
        return url
    converters = converters_of(match.route)
    key = data.draw(st.sampled_from(sorted(match.kwargs)))
    kwargs = {
        **match.kwargs,
        key: data.draw(URL_VALUES.get(converters.get(key), URL_VALUES["str"])),
    }
    try:
        return reverse(match.view_name, kwargs=kwargs)
    except NoReverseMatch:
        return url


def example(world, name: str, data) -> None:
    from tests.bookings.conftest import school_day

    allowed = reachers(name)
    if allowed and data.draw(st.integers(0, 3)):
        role = data.draw(st.sampled_from(allowed), label="role")
    else:
        role = data.draw(st.sampled_from(ROLES), label="role")
    forms = forms_for(world, name, role)
    choices = [(f.method, f) for f in forms for _ in range(3)]  # forms first, then bare URLs
    choices += [("get", None)] + ([("post", None)] if MATRIX[name]["post"] != "405" else [])
    method, form = data.draw(st.sampled_from(choices), label="form")
    if form is not None:
        url, values = form.action, fill(form, data, school_day(45))
    else:
        url = data.draw(st.sampled_from(urls_of(world, name)))
        params = data.draw(st.lists(st.sampled_from(QUERY), max_size=3, unique=True))
        values = {p: data.draw(hostile.hostile_text) for p in params}
        if method == "post":
            values |= {
                f: data.draw(hostile.hostile_value(k)) for f, k in UNSHOWN.get(name, {}).items()
            }
    url = tamper_url(url, data)
    response, foreign = send(world, role, "post" if method == "post" else "get", url, values)
    assert response.status_code < 500, (role, url, values)
    assert not foreign, f"{role} {method.upper()} {url} {values!r} changed others' rows: {foreign}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_input_reaches_a_500_or_another_partys_data(fuzz_world, name):
    has_fields = any(
        form.fields for role in reachers(name)[:2] for form in forms_for(fuzz_world, name, role)
    )

    @settings(SETTINGS, max_examples=FORM_EXAMPLES if has_fields else EXAMPLES)
    @given(data=st.data())
    def run(data):
        example(fuzz_world, name, data)

    run()


#: Whole forms moved to the edges of the calendar: every date field at once, ends after
#: starts, so that the form is otherwise valid.
EDGE_DATES = [datetime(1, 2, 1, 10, 0), datetime(9999, 9, 1, 10, 0)]
#: URL arguments that once broke a page, per converter.
URL_SWEEP = {"int": [str(2**63), str(2**70)], "str": ["\x00", "a\x00b"], "slug": ["x" * 300]}


def sweep(world, name: str) -> list[tuple[str, str, str, dict, str]]:
    """The requests of the deterministic sweep: (role, method, url, data, what)."""
    from tests.bookings.conftest import school_day

    requests = []
    for role in reachers(name)[:2]:
        for form in forms_for(world, name, role):
            honest = {}
            for field in form.fields.values():
                value = hostile.valid_value(field, school_day(45))
                if value is not None:
                    honest[field.name] = value
            for field in form.fields.values():
                for value in hostile.SWEEP.get(field.kind, []):
                    data = {**honest, field.name: value}
                    requests.append(
                        (role, form.method, form.action, data, f"{field.name}={value!r}")
                    )
            dates = [f for f in form.fields.values() if f.kind in ("date", "datetime-local")]
            for edge in EDGE_DATES if dates else []:
                data = honest | {f.name: hostile.valid_value(f, edge) for f in dates}
                requests.append((role, form.method, form.action, data, f"all dates at {edge}"))
    for url in urls_of(world, name):
        match = resolve(url)
        converters = converters_of(match.route)
        for key in match.kwargs:
            for value in URL_SWEEP.get(converters.get(key, "str"), []):
                try:
                    tampered = reverse(name, kwargs={**match.kwargs, key: value})
                except NoReverseMatch:
                    continue
                for role in ["anon", *reachers(name)[:1]]:
                    requests.append((role, "get", tampered, {}, f"URL {key}={value!r}"))
    return requests


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_boundary_values_in_every_field(fuzz_world, name):
    """The deterministic half: every field of every form, as a role that may use it, gets
    each of the few values that once broke a form of the portal (``hostile.SWEEP``) while the
    other fields are filled honestly; every date of a form is moved to year 1 and year 9999
    at once; every id, slug and token in the URL gets an impossible value."""
    failures = []
    for role, method, url, data, what in sweep(fuzz_world, name):
        try:
            response, foreign = send(fuzz_world, role, method, url, data)
        except Exception as exc:  # noqa: BLE001 - collect every field that fails
            failures.append(f"{role} {method.upper()} {url} {what}: {exc!r}")
            continue
        if response.status_code >= 500 or foreign:
            failures.append(f"{role} {method.upper()} {url} {what}: {foreign}")
    assert not failures, "\n".join(failures)


def test_every_post_url_shows_its_form_somewhere(fuzz_world):
    """The test above fuzzes the fields it finds; a URL that takes a form but whose form is
    found on no page would only be fuzzed with invented fields. List its page in HOSTS."""
    missing = []
    for name in sorted(set(HOSTS) - set(UNSHOWN)):
        if not any(forms_for(fuzz_world, name, r) for r in reachers(name)):
            missing.append(name)
    assert not missing, f"no page shows a form for: {missing}"
