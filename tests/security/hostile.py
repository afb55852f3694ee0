"""Tools of the hostile-input test: read a page's forms, make hostile values, and find which
rows a request changed and whose they are.

Kept apart from the test so that the test reads as the rules it checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from hypothesis import strategies as st

# --- Forms as a browser sees them -----------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, hidden, number, date, datetime-local, email, select, ...
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    minimum: str | None = None
    maximum: str | None = None


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    #: Named submit buttons: a submission carries at most one of them.
    buttons: list[tuple[str, str]] = field(default_factory=list)
    #: Other addresses its buttons send it to (``formaction``).
    formactions: list[str] = field(default_factory=list)


class FormParser(HTMLParser):
    """Every <form> of a page with its fields, as a browser would submit them (a form whose
    buttons send it to other addresses counts once for each address)."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action") or self.page_url)
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is not None and a.get("formaction") and tag in ("button", "input"):
            form.formactions.append(a["formaction"])
            return
        if form is None or not name or name == "csrfmiddlewaretoken":
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if kind == "submit":
                    form.buttons.append((name, a.get("value", "")))
                return
            known = form.fields.get(name)
            if kind in ("checkbox", "radio") and known is not None:
                known.options.append(a.get("value", "on"))
                known.multiple = kind == "checkbox"
                return
            form.fields[name] = Field(
                name,
                kind,
                value=a.get("value", ""),
                options=[a.get("value", "on")] if kind in ("checkbox", "radio") else [],
                minimum=a.get("min"),
                maximum=a.get("max"),
            )
        elif tag == "select":
            self._select = form.fields[name] = Field(name, "select", multiple="multiple" in a)
        elif tag == "textarea":
            self._textarea = form.fields[name] = Field(name, "textarea")
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.buttons.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            # A browser drops the newline that follows <textarea>.
            self._textarea.value += data.removeprefix("\n") if not self._textarea.value else data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            form = self._form
            for action in form.formactions:
                self.forms.append(Form(form.method, action, dict(form.fields)))
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


# --- Values ---------------------------------------------------------------------------------

#: Dates a date picker never offers but a crafted request can send.
EXTREME_DATES = ["0001-01-01", "9999-12-31", "9999-09-01", "1900-01-01", "2026-02-30", "0000-00-00"]
EXTREME_DATETIMES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-09-01T10:00",
    "1970-01-01T00:00",
    "2026-13-40T25:61",
]
#: The same dates in the "one session per line" text format of course sessions.
EXTREME_DATE_LINES = [
    "01.01.0001 00:00-01:00",
    "31.12.9999 10:00-11:00",
    "01.09.9999 10:00-11:00",
    "30.02.2027 10:00-11:00",
]
NUMBERS = [
    "-1",
    "0",
    str(2**31),
    str(2**63),
    str(2**70),
    "-" + str(2**63),
    "1e309",
    "NaN",
    "inf",
    "3.5",
    "9" * 40,
]
# "²" is a digit to str.isdigit() that int() refuses.
IDS = ["abc", "1\x00", " ", "-5", "0x10", "１２", "²", str(2**64), "1;DROP TABLE x"]
CONTROL = ["\x00", "a\x00b", "\x01\x02\x1f", "\u202e\u200b", "\ud7ff", "\r\n\r\n", "%00"]


def _near_dates() -> st.SearchStrategy[str]:
    """Dates around today: in the past, next year, years away."""
    today = timezone.localdate()
    return st.integers(min_value=-3000, max_value=9000).map(
        lambda days: (today + timedelta(days=days)).isoformat()
    )


hostile_text = st.one_of(
    st.sampled_from(CONTROL + IDS + NUMBERS + EXTREME_DATE_LINES),
    st.text(min_size=0, max_size=30),
    st.text(min_size=3000, max_size=12000, alphabet="xæ\x00"),
)


def hostile_value(kind: str) -> st.SearchStrategy[str]:
    """A value for a field of this kind that no honest browser would send: mostly one of
    the known troublemakers of its kind, sometimes anything."""
    by_kind = {
        "date": st.one_of(st.sampled_from(EXTREME_DATES), _near_dates()),
        "datetime-local": st.one_of(
            st.sampled_from(EXTREME_DATETIMES), _near_dates().map(lambda d: f"{d}T10:00")
        ),
        "number": st.one_of(st.sampled_from(NUMBERS), st.integers().map(str)),
        "select": st.sampled_from(IDS + NUMBERS),
        "radio": st.sampled_from(IDS + NUMBERS),
        "checkbox": st.sampled_from(IDS + NUMBERS),
        "hidden": st.sampled_from(IDS + NUMBERS + CONTROL),
        "textarea": st.one_of(st.sampled_from(EXTREME_DATE_LINES), hostile_text),
    }
    typed = by_kind.get(kind, hostile_text)
    return st.one_of(typed, typed, typed, hostile_text)


#: For the sweep: the few values per kind of field that each broke a form once.
SWEEP = {
    "date": ["0001-01-01", "9999-12-31", "a\x00"],
    "datetime-local": ["0001-01-01T00:00", "9999-09-01T10:00", "9999-12-31T23:59", "a\x00"],
    "number": [str(2**63), "-1", "1e309", "abc", "²"],
    "select": ["abc", str(2**64), "1\x00", "²"],
    "radio": ["abc", str(2**64), "²"],
    "checkbox": ["abc", "²"],
    "hidden": ["abc", str(2**64), "1\x00", "\x00", "²"],
    "text": ["²²²²²²²²"],  # a CVR number's eight "digits"
    "textarea": ["a\x00b", *EXTREME_DATE_LINES[:2]],
}


def valid_value(f: Field, good_date) -> str | list[str] | None:
    """What a person filling in the form honestly might send (None: leave it out)."""
    options = [o for o in f.options if o != ""]
    if f.kind in ("select", "radio"):
        return f.value or (options[0] if options else None)
    if f.kind == "checkbox":
        return options[:1] if options else None
    if f.kind == "file":
        return None
    if f.value.strip():
        return f.value
    if f.kind == "number":
        low = int(float(f.minimum)) if f.minimum else 1
        high = int(float(f.maximum)) if f.maximum else low + 20
        return str(max(low, min(high, 5 if low <= 5 else low)))
    if f.kind in ("date", "datetime-local"):
        # Ends after starts, deadlines before them: names say which is which.
        if "end" in f.name:
            good_date += timedelta(hours=2)
        elif "deadline" in f.name:
            good_date -= timedelta(days=10)
        if f.kind == "date":
            return good_date.date().isoformat()
        return good_date.strftime("%Y-%m-%dT%H:%M")
    if f.kind == "email":
        return "fuzz@example.com"
    if f.kind == "url":
        return "https://example.com/"
    return "Prøve"


# --- Who owns a changed row -----------------------------------------------------------------

#: Tables that are not a party's data: the e-mail outbox addresses the other party by design,
#: sessions and the log-in lockout log are infrastructure.
UNTRACKED = {"notifications.notification", "sessions.session", "axes.accessattempt"}
UNTRACKED_APPS = {"admin", "auth", "contenttypes", "axes", "sessions", "django_celery_beat"}
#: Columns that change as a consequence of a legitimate act of another party: a booking
#: reserves places on the association's occasion and money in the municipality's pool.
LEDGER = {
    "accounts.user": {"last_login"},
    "bookings.occasion": {"reserved"},
    "bookings.subsidypool": {"reserved", "spent"},
}
#: The kinds of party a row can belong to.
PARTIES = {
    "accounts.user",
    "associations.association",
    "schools.school",
    "municipalities.municipality",
}


def tracked_models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label not in UNTRACKED_APPS and m._meta.label_lower not in UNTRACKED
    ]


def write_count() -> int:
    """Rows written so far by this connection (or this transaction, on PostgreSQL): a request
    that leaves it unchanged changed nothing, and needs no snapshot to prove it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                "FROM pg_stat_xact_user_tables"
            )
        else:
            cursor.execute("SELECT total_changes()")
        return int(cursor.fetchone()[0])


def snapshot() -> dict[str, dict]:
    """Every row of every tracked table: {label: {pk: {column: value}}}."""
    rows = {}
    for model in tracked_models():
        columns = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label_lower] = {
            r[model._meta.pk.attname]: r for r in model._base_manager.values(*columns)
        }
    return rows


@dataclass
class Change:
    label: str
    pk: object
    kind: str  # inserted, updated, deleted
    columns: tuple[str, ...] = ()


def changes(before: dict, after: dict) -> list[Change]:
    found = []
    for label, old in before.items():
        new = after[label]
        for pk in new.keys() - old.keys():
            found.append(Change(label, pk, "inserted"))
        for pk in old.keys() - new.keys():
            found.append(Change(label, pk, "deleted"))
        for pk in old.keys() & new.keys():
            columns = tuple(c for c in new[pk] if new[pk][c] != old[pk][c])
            ledger = LEDGER.get(label, set())
            if columns and not set(columns) <= ledger:
                found.append(Change(label, pk, "updated", columns))
    return found


ORGANISATIONS = {"associations.association", "schools.school"}
#: Rows that are a user's own although they point at an organisation: a bookmark, a setting,
#: a request to join (inserted; approving it is the organisation's act).
USER_OWNED = {
    "catalog.favourite": {"inserted", "deleted", "updated"},
    "catalog.catalogvisit": {"inserted", "updated"},
    "notifications.notificationpreference": {"inserted", "deleted", "updated"},
    "associations.joinrequest": {"inserted"},
    "schools.schoolmembership": {"inserted"},
}


class Owners:
    """Traces a row through its foreign keys (and generic relations) to the parties it
    belongs to: users, associations, schools and municipalities."""

    def __init__(self, before: dict, after: dict):
        self.rows = {label: {**before[label], **after[label]} for label in before}
        self.new = {
            (label, pk) for label in before for pk in after[label].keys() - before[label].keys()
        }
        through = apps.get_model("associations", "Association").municipalities.through
        self._association_municipalities: dict[object, set] = {}
        for row in self.rows[through._meta.label_lower].values():
            self._association_municipalities.setdefault(row["association_id"], set()).add(
                row["municipality_id"]
            )

    def is_new(self, label: str, pk) -> bool:
        return (label, pk) in self.new

    def municipalities(self, party: tuple[str, object]) -> set:
        """The municipalities a party belongs to (none for a user)."""
        label, pk = party
        if label == "municipalities.municipality":
            return {pk}
        if label == "schools.school":
            return {self.rows[label].get(pk, {}).get("municipality_id")}
        if label == "associations.association":
            return self._association_municipalities.get(pk, set())
        return set()

    def parties(self, label: str, pk, depth: int = 0) -> set[tuple[str, object]]:
        """The parties a row leads to through its foreign keys (and generic relations)."""
        found = {(label, pk)} if label in PARTIES else set()
        row = self.rows.get(label, {}).get(pk)
        if row is None or depth > 5:
            return found
        model = apps.get_model(label)
        for f in model._meta.concrete_fields:
            if f.is_relation and row.get(f.attname) is not None:
                target = f.related_model._meta.label_lower
                if target != "contenttypes.contenttype":
                    found |= self.parties(target, row[f.attname], depth + 1)
        for gfk in model._meta.private_fields:
            if isinstance(gfk, GenericForeignKey) and row.get(f"{gfk.ct_field}_id") is not None:
                target = ContentType.objects.get_for_id(row[f"{gfk.ct_field}_id"])
                found |= self.parties(
                    target.model_class()._meta.label_lower, row.get(gfk.fk_field), depth + 1
                )
        return found

    def belongs_to(self, change: Change, actor: set, municipalities: set) -> bool:
        """Whether a changed row is the actor's own: it belongs to the actor's association
        or school (or, for a consultant, one in their municipality), or to a party the same
        request created. A row of both a school and an association (a booking) belongs to
        each. Only a row that belongs to no organisation is judged by its user or
        municipality; a row that belongs to nobody may only be created (a contact message).
        Some rows are a user's own whatever they point at (``USER_OWNED``)."""
        if change.kind in USER_OWNED.get(change.label, ()):
            return ("accounts.user", self.rows[change.label][change.pk]["user_id"]) in actor
        parties = self.parties(change.label, change.pk)
        organisations = {p for p in parties if p[0] in ORGANISATIONS}
        relevant = organisations or parties
        if not relevant:
            return change.kind == "inserted"
        return any(
            p in actor or self.is_new(*p) or self.municipalities(p) & municipalities
            for p in relevant
        )
