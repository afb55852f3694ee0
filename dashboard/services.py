"""The consultant's numbers: one function per table, each a few aggregated queries.

Every function takes the municipality and the school year (its starting year: 2026 means
1 August 2026 to 31 July 2027) and returns a list of plain dicts (rows). Nothing here
queries per row: grouping is done with ``values().annotate()`` and conditional
aggregation, so the dashboard costs the same number of queries with 10 or 100,000 bookings.

``TABLES`` describes every table (title, columns and their kinds) for the page and the
exports, so that what is shown and what is downloaded are the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from associations import services as association_services
from associations.models import Association, Domain, Offer
from bookings.models import Booking, Evaluation, SubsidyPool, WaitingListEntry
from bookings.states import OPEN_STATES, BookingState
from bookings.states import WAITING_STATES as BOOKING_WAITING
from municipalities.models import Municipality
from partnerships import figures
from partnerships.meetings import MEETINGS_PER_YEAR, GoalStatus, StatusMeeting
from partnerships.models import Partnership, PartnershipState
from schools.models import School
from screening.models import ScreeningEvent
from screening.workflow import WAITING_STATES as SCREENING_WAITING
from screening.workflow import ScreeningState, Transition

#: A collaboration is a booking that was confirmed (and possibly has taken place).
COLLABORATION_STATES = (BookingState.CONFIRMED, BookingState.COMPLETED)
EXPIRY_WINDOW_DAYS = 60

GRADE_BANDS = [
    ("0-3", _("Grades 0–3"), 0, 3),
    ("4-6", _("Grades 4–6"), 4, 6),
    ("7-10", _("Grades 7–10"), 7, 10),
]


# The period ------------------------------------------------------------------------------


def school_year_of(day: date) -> int:
    """The starting year of the school year (1 August to 31 July) a date belongs to."""
    return day.year if day.month >= 8 else day.year - 1


def current_school_year() -> int:
    return school_year_of(timezone.localdate())


def school_year_range(year: int) -> tuple[datetime, datetime]:
    """[1 August ``year`` 00:00, 1 August ``year + 1`` 00:00) in local time."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 8, 1), time.min), tz)
    end = timezone.make_aware(datetime.combine(date(year + 1, 8, 1), time.min), tz)
    return start, end


def school_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def school_year_months(year: int) -> list[date]:
    return [date(year + (m < 8), m, 1) for m in (*range(8, 13), *range(1, 8))]


def _in(prefix: str, year: int) -> Q:
    start, end = school_year_range(year)
    return Q(**{f"{prefix}__gte": start, f"{prefix}__lt": end})


def _month(field: str) -> TruncMonth:
    """The first day of ``field``'s month in the current time zone, as a date: truncated by
    the database (converting each row's datetime here cost ≈ 20 Python calls a row, and a
    municipality's cube has over a thousand rows)."""
    return TruncMonth(field, output_field=DateField())


def _collaborations(municipality: Municipality, year: int):
    """Collaborations of this school year and the one before (the comparison)."""
    return Booking.objects.for_municipality(municipality).filter(
        _in("starts_at", year - 1) | _in("starts_at", year), state__in=COLLABORATION_STATES
    )


def _two_years(year: int, prefix: str = "") -> dict:
    """Conditional aggregation: collaborations and pupils this year and the year before."""
    p = f"{prefix}__" if prefix else ""
    this, prev = _in(f"{p}starts_at", year), _in(f"{p}starts_at", year - 1)
    return {
        "n_this": Count(f"{p}id", filter=this),
        "p_this": Sum(f"{p}pupils", filter=this, default=0),
        "n_prev": Count(f"{p}id", filter=prev),
        "p_prev": Sum(f"{p}pupils", filter=prev, default=0),
    }


def _two_year_row(name, r: dict) -> dict:
    return {
        "name": str(name),
        "collaborations": r["n_this"],
        "pupils": r["p_this"],
        "prev_collaborations": r["n_prev"],
        "prev_pupils": r["p_prev"],
    }


# Collaborations --------------------------------------------------------------------------


def _band():
    return Case(
        *[When(grade__gte=lo, grade__lte=hi, then=Value(key)) for key, _l, lo, hi in GRADE_BANDS],
        default=Value(""),
    )


def booking_cube(municipality: Municipality, year: int) -> list[dict]:
    """One scan of the bookings of this school year and the one before, grouped by state,
    month, domain and grade band: at most 7 × 24 × 8 × 3 rows, however many bookings.

    The month, domain, grade-band and outcome tables are roll-ups of it; ``all_tables``
    computes it once for all of them.
    """
    rows = (
        Booking.objects.for_municipality(municipality)
        .filter(_in("starts_at", year - 1) | _in("starts_at", year))
        .annotate(month=_month("starts_at"), band=_band())
        .values("state", "month", "offer__domain", "band")
        .annotate(n=Count("id"), p=Sum("pupils"))
        .order_by()
    )
    return [
        {
            "state": r["state"],
            "month": r["month"],
            "year": school_year_of(r["month"]),
            "domain": r["offer__domain"],
            "band": r["band"],
            "n": r["n"],
            "pupils": r["p"] or 0,
        }
        for r in rows
    ]


def _roll_up(cube: list[dict], year: int, key: str, states=COLLABORATION_STATES) -> dict:
    """{value of ``key``: {"n_this", "p_this", "n_prev", "p_prev"}} over the given states."""
    totals: dict = {}
    for r in cube:
        if r["state"] not in states or r["year"] not in (year, year - 1):
            continue
        t = totals.setdefault(r[key], {"n_this": 0, "p_this": 0, "n_prev": 0, "p_prev": 0})
        suffix = "this" if r["year"] == year else "prev"
        t[f"n_{suffix}"] += r["n"]
        t[f"p_{suffix}"] += r["pupils"]
    return totals


def collaborations_by_month(
    municipality: Municipality, year: int, cube: list[dict] | None = None
) -> list[dict]:
    cube = booking_cube(municipality, year) if cube is None else cube
    by_month = _roll_up(cube, year, "month")
    empty = {"n_this": 0, "p_this": 0, "n_prev": 0, "p_prev": 0}
    rows = []
    for month, prev in zip(school_year_months(year), school_year_months(year - 1), strict=True):
        this_row, prev_row = by_month.get(month, empty), by_month.get(prev, empty)
        rows.append(
            {
                "month": month,
                "collaborations": this_row["n_this"],
                "pupils": this_row["p_this"],
                "prev_collaborations": prev_row["n_prev"],
                "prev_pupils": prev_row["p_prev"],
            }
        )
    return rows


def _sorted(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (-r["collaborations"], -r["prev_collaborations"], r["name"]))


def collaborations_by_domain(
    municipality: Municipality, year: int, cube: list[dict] | None = None
) -> list[dict]:
    cube = booking_cube(municipality, year) if cube is None else cube
    labels = dict(Domain.choices)
    totals = _roll_up(cube, year, "domain")
    return _sorted([_two_year_row(labels.get(d, _("Other")), t) for d, t in totals.items()])


def collaborations_by_school(municipality: Municipality, year: int) -> list[dict]:
    rows = (
        _collaborations(municipality, year)
        .values("school_id", "school__name")
        .annotate(**_two_years(year))
        .order_by()
    )
    return _sorted([_two_year_row(r["school__name"], r) for r in rows])


def collaborations_by_association(municipality: Municipality, year: int) -> list[dict]:
    rows = (
        _collaborations(municipality, year)
        .values("offer__association_id", "offer__association__name")
        .annotate(**_two_years(year))
        .order_by()
    )
    return _sorted([_two_year_row(r["offer__association__name"], r) for r in rows])


def collaborations_by_grade_band(
    municipality: Municipality, year: int, cube: list[dict] | None = None
) -> list[dict]:
    cube = booking_cube(municipality, year) if cube is None else cube
    totals = _roll_up(cube, year, "band")
    empty = {"n_this": 0, "p_this": 0, "n_prev": 0, "p_prev": 0}
    return [_two_year_row(label, totals.get(key, empty)) for key, label, _lo, _hi in GRADE_BANDS]


# Reach -----------------------------------------------------------------------------------


def schools_without_collaboration(municipality: Municipality, year: int) -> list[dict]:
    """Active schools with no confirmed or completed booking this school year."""
    this = _in("bookings__starts_at", year) & Q(bookings__state__in=COLLABORATION_STATES)
    prev = _in("bookings__starts_at", year - 1) & Q(bookings__state__in=COLLABORATION_STATES)
    waiting = _in("bookings__starts_at", year) & Q(bookings__state__in=BOOKING_WAITING)
    rows = (
        School.objects.for_municipality(municipality)
        .active()
        .annotate(
            n=Count("bookings", filter=this),
            prev_collaborations=Count("bookings", filter=prev),
            open_requests=Count("bookings", filter=waiting),
        )
        .filter(n=0)
        .order_by("name")
        .values("name", "prev_collaborations", "open_requests")
    )
    return list(rows)


def associations_without_booking(municipality: Municipality, year: int) -> list[dict]:
    """Approved associations with approved offers that no school here booked this year."""
    booked = Booking.objects.filter(
        _in("starts_at", year),
        offer__association=OuterRef("pk"),
        school__municipality=municipality,
    )
    rows = (
        Association.objects.filter(municipalities=municipality)
        .published()
        .annotate(
            approved_offers=Count(
                "offers",
                filter=Q(offers__state=ScreeningState.APPROVED, offers__revision_of__isnull=True),
            ),
            booked=Exists(booked),
        )
        .filter(approved_offers__gt=0, booked=False)
        .order_by("name")
        .values("name", "approved_offers")
    )
    return list(rows)


def offers_never_booked(municipality: Municipality, year: int) -> list[dict]:
    """Approved offers that no school in this municipality has ever booked."""
    booked = Booking.objects.filter(offer=OuterRef("pk"), school__municipality=municipality)
    labels = dict(Domain.choices)
    rows = (
        Offer.objects.filter(association__municipalities=municipality)
        .live()
        .filter(state=ScreeningState.APPROVED)
        .annotate(booked=Exists(booked))
        .filter(booked=False)
        .order_by("association__name", "title")
        .values("title", "association__name", "domain", "approved_at")
    )
    return [
        {
            "title": r["title"],
            "association": r["association__name"],
            "domain": str(labels.get(r["domain"], r["domain"])),
            "approved_at": _local_date(r["approved_at"]),
        }
        for r in rows
    ]


def _local_date(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value else None


# Screening -------------------------------------------------------------------------------


#: Whether a submission is a new item or an edit of an approved one: nouns, with a context
#: of their own ("Edit" alone is the verb on buttons elsewhere: "Redigér").
NEW = pgettext_lazy("new or edit", "New")
EDIT = pgettext_lazy("new or edit", "Edit")


def screening_waiting(municipality: Municipality, year: int | None = None) -> list[dict]:
    """Items waiting for a consultant now, oldest first, with the days they have waited."""
    now = timezone.now()
    associations = (
        Association.objects.filter(municipalities=municipality, state__in=SCREENING_WAITING)
        .values("name", "state", "submitted_at", "revision_of_id")
        .order_by()
    )
    offers = (
        Offer.objects.filter(association__municipalities=municipality, state__in=SCREENING_WAITING)
        .values("title", "association__name", "state", "submitted_at", "revision_of_id")
        .order_by()
    )
    rows = []
    for r in associations:
        rows.append(
            {
                "kind": str(_("Association profile")),
                "name": r["name"],
                "association": r["name"],
                "is_edit": r["revision_of_id"] is not None,
                "state": r["state"],
                "submitted_at": r["submitted_at"],
            }
        )
    for r in offers:
        rows.append(
            {
                "kind": str(_("Offer")),
                "name": r["title"],
                "association": r["association__name"],
                "is_edit": r["revision_of_id"] is not None,
                "state": r["state"],
                "submitted_at": r["submitted_at"],
            }
        )
    labels = dict(ScreeningState.choices)
    for row in rows:
        submitted = row["submitted_at"]
        row["days_waiting"] = (now - submitted).days if submitted else None
        row["submitted_at"] = _local_date(submitted)
        row["state"] = str(labels.get(row["state"], row["state"]))
        row["is_edit"] = str(EDIT if row["is_edit"] else NEW)
    rows.sort(key=lambda r: (r["submitted_at"] or date.max, r["name"]))
    return rows


DECISIONS = (Transition.APPROVE, Transition.REQUEST_CHANGES, Transition.REJECT)


def _screened_in(municipality: Municipality) -> Q:
    """ScreeningEvents (generic relation to the live item) of this municipality's items."""
    types = ContentType.objects.get_for_models(Association, Offer)
    association_ids = Association.objects.filter(municipalities=municipality).values("pk")
    offer_ids = Offer.objects.filter(association__municipalities=municipality).values("pk")
    return Q(content_type=types[Association], object_id__in=association_ids) | Q(
        content_type=types[Offer], object_id__in=offer_ids
    )


def screening_decisions_by_month(municipality: Municipality, year: int) -> list[dict]:
    counts = {
        r["month"]: r
        for r in ScreeningEvent.objects.filter(
            _screened_in(municipality), _in("created_at", year), transition__in=DECISIONS
        )
        .annotate(month=_month("created_at"))
        .values("month")
        .annotate(
            approved=Count("id", filter=Q(transition=Transition.APPROVE)),
            changes_requested=Count("id", filter=Q(transition=Transition.REQUEST_CHANGES)),
            rejected=Count("id", filter=Q(transition=Transition.REJECT)),
        )
        .order_by()
    }
    rows = []
    for month in school_year_months(year):
        found = counts.get(month, {})
        rows.append(
            {
                "month": month,
                "approved": found.get("approved", 0),
                "changes_requested": found.get("changes_requested", 0),
                "rejected": found.get("rejected", 0),
            }
        )
    return rows


def approvals_expiring(municipality: Municipality, year: int | None = None) -> list[dict]:
    """Approved associations and offers whose approval runs out in the next 60 days."""
    now = timezone.now()
    window = Q(
        state=ScreeningState.APPROVED,
        revision_of__isnull=True,
        approval_expires_at__gte=now,
        approval_expires_at__lt=now + timedelta(days=EXPIRY_WINDOW_DAYS),
    )
    rows = [
        {
            "kind": str(_("Association profile")),
            "name": r["name"],
            "association": r["name"],
            "expires_on": _local_date(r["approval_expires_at"]),
        }
        for r in Association.objects.filter(window, municipalities=municipality).values(
            "name", "approval_expires_at"
        )
    ]
    rows += [
        {
            "kind": str(_("Offer")),
            "name": r["title"],
            "association": r["association__name"],
            "expires_on": _local_date(r["approval_expires_at"]),
        }
        for r in Offer.objects.filter(window, association__municipalities=municipality).values(
            "title", "association__name", "approval_expires_at"
        )
    ]
    rows.sort(key=lambda r: (r["expires_on"], r["name"]))
    return rows


def offers_hidden_by_certificates(
    municipality: Municipality, year: int | None = None
) -> list[dict]:
    """Approved offers schools no longer see because an instructor's child certificate ran
    out (still approved, or expired by the nightly check), with whose certificate it is."""
    offers = (
        Offer.objects.for_municipality(municipality)
        .hidden_by_certificates()
        .select_related("association")
        .prefetch_related("instructors", "association__municipalities")
        .order_by("certificates_valid_until", "title")
    )
    labels = dict(ScreeningState.choices)
    rows = []
    for offer in offers:
        limit = association_services.certificate_limit(offer.association)
        expired = association_services.expired_certificates(offer.instructors.all(), limit)
        rows.append(
            {
                "title": offer.title,
                "association": offer.association.name,
                "instructors": ", ".join(e.instructor.name for e in expired),
                "valid_until": offer.certificates_valid_until,
                "state": str(labels.get(offer.state, offer.state)),
            }
        )
    return rows


# Bookings that did not happen, and waiting lists ----------------------------------------

OUTCOME_STATES = (BookingState.DECLINED, BookingState.EXPIRED, BookingState.CANCELLED)
#: The same msgids and context as ``BookingState``: the bookings app's translation wins
#: where it has one; these make sure the dashboard is Danish either way.
OUTCOME_LABELS = {
    BookingState.DECLINED: pgettext_lazy("booking state", "Declined"),
    BookingState.EXPIRED: pgettext_lazy("booking state", "Expired"),
    BookingState.CANCELLED: pgettext_lazy("booking state", "Cancelled"),
}


def bookings_not_held(
    municipality: Municipality, year: int, cube: list[dict] | None = None
) -> list[dict]:
    """Declined, expired and cancelled bookings, this year and the year before."""
    cube = booking_cube(municipality, year) if cube is None else cube
    totals = _roll_up(cube, year, "state", states=OUTCOME_STATES)
    empty = {"n_this": 0, "p_this": 0, "n_prev": 0, "p_prev": 0}
    return [
        {
            "name": str(OUTCOME_LABELS[state]),
            "bookings": totals.get(state, empty)["n_this"],
            "pupils": totals.get(state, empty)["p_this"],
            "prev_bookings": totals.get(state, empty)["n_prev"],
        }
        for state in OUTCOME_STATES
    ]


def waiting_lists(municipality: Municipality, year: int) -> list[dict]:
    """Occasions of this school year with schools of this municipality on the waiting list."""
    active = (WaitingListEntry.State.WAITING, WaitingListEntry.State.OFFERED)
    rows = (
        WaitingListEntry.objects.filter(
            _in("occasion__starts_at", year), school__municipality=municipality, state__in=active
        )
        .values(
            "occasion_id",
            "occasion__starts_at",
            "occasion__offer__title",
            "occasion__offer__association__name",
        )
        .annotate(
            schools=Count("school", distinct=True), pupils=Sum("pupils"), places=Sum("places")
        )
        .order_by("occasion__starts_at", "occasion_id")
    )
    return [
        {
            "offer": r["occasion__offer__title"],
            "association": r["occasion__offer__association__name"],
            "date": _local_date(r["occasion__starts_at"]),
            "schools": r["schools"],
            "pupils": r["pupils"] or 0,
            "places": r["places"] or 0,
        }
        for r in rows
    ]


# The subsidy pool ------------------------------------------------------------------------


def subsidy_pool(municipality: Municipality, year: int) -> list[dict]:
    pool = SubsidyPool.objects.for_municipality(municipality).filter(school_year=year).first()
    if pool is None:
        return []
    return [
        {
            "school_year": school_year_label(year),
            "amount": pool.amount,
            "reserved": pool.reserved,
            "spent": pool.spent,
            "left": pool.left,
        }
    ]


def subsidy_by_school(municipality: Municipality, year: int) -> list[dict]:
    """The municipality's share per school: reserved by open bookings, spent on completed,
    and what is left under the pool's cap per school (when the pool has one)."""
    zero = Decimal("0")
    rows = (
        Booking.objects.for_municipality(municipality)
        .filter(subsidy_pool__school_year=year, subsidy_pool__municipality=municipality)
        .values("school_id", "school__name", "subsidy_pool__cap_per_school")
        .annotate(
            reserved=Sum("municipality_share", filter=Q(state__in=OPEN_STATES), default=zero),
            spent=Sum("municipality_share", filter=Q(state=BookingState.COMPLETED), default=zero),
            school_share=Sum(
                "school_share",
                filter=Q(state__in=(*OPEN_STATES, BookingState.COMPLETED)),
                default=zero,
            ),
        )
        .order_by("school__name")
    )
    return [
        {
            "name": r["school__name"],
            "reserved": r["reserved"],
            "spent": r["spent"],
            "school_share": r["school_share"],
            "left_of_cap": (
                r["subsidy_pool__cap_per_school"] - r["reserved"] - r["spent"]
                if r["subsidy_pool__cap_per_school"] is not None
                else None
            ),
        }
        for r in rows
        if r["reserved"] or r["spent"] or r["school_share"]
    ]


# Evaluations -----------------------------------------------------------------------------


def _evaluations(municipality: Municipality, year: int):
    return Evaluation.objects.filter(
        _in("booking__starts_at", year), booking__school__municipality=municipality
    )


def evaluations_by_association(municipality: Municipality, year: int) -> list[dict]:
    rows = (
        _evaluations(municipality, year)
        .values("booking__offer__association_id", "booking__offer__association__name")
        .annotate(
            evaluations=Count("id"),
            average=Avg("rating"),
            pupils_joined=Sum("pupils_joined", default=0),
        )
        .order_by("booking__offer__association__name")
    )
    return [
        {
            "name": r["booking__offer__association__name"],
            "evaluations": r["evaluations"],
            "average": _one_decimal(r["average"]),
            "pupils_joined": r["pupils_joined"],
        }
        for r in rows
    ]


def evaluations_by_domain(municipality: Municipality, year: int) -> list[dict]:
    labels = dict(Domain.choices)
    rows = (
        _evaluations(municipality, year)
        .values("booking__offer__domain")
        .annotate(
            evaluations=Count("id"),
            average=Avg("rating"),
            pupils_joined=Sum("pupils_joined", default=0),
        )
        .order_by()
    )
    result = [
        {
            "name": str(labels.get(r["booking__offer__domain"], _("Other"))),
            "evaluations": r["evaluations"],
            "average": _one_decimal(r["average"]),
            "pupils_joined": r["pupils_joined"],
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: r["name"])


def evaluation_comments(municipality: Municipality, year: int) -> list[dict]:
    sides = {"school": str(_("School")), "association": str(_("Association"))}
    rows = (
        _evaluations(municipality, year)
        .exclude(comment="")
        .values(
            "booking__starts_at",
            "booking__offer__title",
            "booking__offer__association__name",
            "booking__school__name",
            "side",
            "rating",
            "comment",
        )
        .order_by("-booking__starts_at", "-id")
    )
    return [
        {
            "date": _local_date(r["booking__starts_at"]),
            "offer": r["booking__offer__title"],
            "association": r["booking__offer__association__name"],
            "school": r["booking__school__name"],
            "side": sides.get(r["side"], r["side"]),
            "rating": r["rating"],
            "comment": r["comment"],
        }
        for r in rows
    ]


def _one_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"))


# Public key figures ----------------------------------------------------------------------


# Partnerships ----------------------------------------------------------------------------


def _partner_name(r: dict, prefix: str = "") -> str:
    return r[f"{prefix}association__name"] or r[f"{prefix}institution__name"] or ""


def partnership_meetings(municipality: Municipality, year: int) -> list[dict]:
    """Per partnership active in the school year: status meetings planned (scheduled, not
    cancelled), held, and the norm (two a year, seed 002). Two queries."""
    start, end = school_year_range(year)
    partnerships = (
        Partnership.objects.for_municipality(municipality)
        .filter(starts_on__lt=end.date(), ends_on__gte=start.date())
        .exclude(state=PartnershipState.PROPOSED)
        .values("id", "association__name", "institution__name")
    )
    counts = {
        r["partnership_id"]: r
        for r in StatusMeeting.objects.for_municipality(municipality)
        .filter(_in("starts_at", year))
        .exclude(state=StatusMeeting.State.CANCELLED)
        .values("partnership_id")
        .annotate(planned=Count("id"), held=Count("id", filter=Q(state=StatusMeeting.State.HELD)))
        .order_by()
    }
    rows = [
        {
            "name": _partner_name(p),
            "expected": MEETINGS_PER_YEAR,
            "planned": counts.get(p["id"], {}).get("planned", 0),
            "held": counts.get(p["id"], {}).get("held", 0),
        }
        for p in partnerships
    ]
    return sorted(rows, key=lambda r: (r["held"] - r["expected"], r["name"]))


def partnership_goals(municipality: Municipality, year: int) -> list[dict]:
    """Per partnership: the goals by status at its latest minutes up to the end of the school
    year (on track, behind, reached, dropped). Two queries (PostgreSQL's DISTINCT ON)."""
    _start, end = school_year_range(year)
    minuted = StatusMeeting.objects.filter(minutes_at__isnull=False, starts_at__lt=end)
    # Each partnership's latest minuted meeting (a subquery rather than PostgreSQL's DISTINCT
    # ON, so the dashboard also runs on SQLite under `make run`).
    newest = minuted.filter(partnership=OuterRef("partnership")).order_by("-starts_at", "-pk")
    latest = (
        StatusMeeting.objects.for_municipality(municipality)
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .values("pk")
    )
    S = GoalStatus.Status  # noqa: N806 - a short name for the choices
    rows = (
        GoalStatus.objects.filter(meeting__in=latest)
        .values(
            "meeting__partnership_id",
            "meeting__partnership__association__name",
            "meeting__partnership__institution__name",
        )
        .annotate(
            **{s: Count("id", filter=Q(status=s)) for s in S.values},
        )
        .order_by()
    )
    out = [
        {"name": _partner_name(r, "meeting__partnership__"), **{s: r[s] for s in S.values}}
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r["behind"], r["name"]))


def partnership_youth_members(municipality: Municipality, year: int) -> list[dict]:
    """The partner associations' yearly figures summed per calendar year, every year
    reported (seed 002's youth members over the years; ``partnerships.figures.youth_trend``,
    one query). The period picker does not narrow a trend."""
    return figures.youth_trend(municipality)


def key_figures(municipality: Municipality, year: int | None = None) -> dict:
    """Three numbers anyone may see when the municipality has switched them on."""
    year = current_school_year() if year is None else year
    return {
        "school_year": school_year_label(year),
        "associations": Association.objects.filter(municipalities=municipality).published().count(),
        "offers": Offer.objects.published()
        .filter(association__municipalities=municipality)
        .distinct()
        .count(),
        "collaborations": Booking.objects.for_municipality(municipality)
        .filter(_in("starts_at", year), state__in=COLLABORATION_STATES)
        .count(),
    }


# The tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    #: text, int, decimal (kroner), average (one decimal), date, month
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[..., list[dict]]
    description: str = ""
    #: A roll-up of ``booking_cube`` (accepts ``cube=``).
    uses_cube: bool = False


def _two_year_columns(first: Column) -> tuple[Column, ...]:
    return (
        first,
        Column("collaborations", _("Collaborations"), "int"),
        Column("pupils", _("Pupils reached"), "int"),
        Column("prev_collaborations", _("Collaborations the year before"), "int"),
        Column("prev_pupils", _("Pupils the year before"), "int"),
    )


NAME_SCHOOL = Column("name", _("School"))
NAME_ASSOCIATION = Column("name", _("Association"))

TABLES: dict[str, Table] = {
    t.slug: t
    for t in [
        Table(
            "collaborations-by-month",
            _("Collaborations and pupils by month"),
            _two_year_columns(Column("month", _("Month"), "month")),
            collaborations_by_month,
            uses_cube=True,
        ),
        Table(
            "collaborations-by-domain",
            _("Collaborations by domain"),
            _two_year_columns(Column("name", _("Domain"))),
            collaborations_by_domain,
            uses_cube=True,
        ),
        Table(
            "collaborations-by-school",
            _("Collaborations by school"),
            _two_year_columns(NAME_SCHOOL),
            collaborations_by_school,
        ),
        Table(
            "collaborations-by-association",
            _("Collaborations by association"),
            _two_year_columns(NAME_ASSOCIATION),
            collaborations_by_association,
        ),
        Table(
            "collaborations-by-grade",
            _("Collaborations by grade band"),
            _two_year_columns(Column("name", _("Grades"))),
            collaborations_by_grade_band,
            uses_cube=True,
        ),
        Table(
            "schools-without-collaboration",
            _("Schools with no collaboration this school year"),
            (
                Column("name", _("School")),
                Column("open_requests", _("Requests waiting for an answer"), "int"),
                Column("prev_collaborations", _("Collaborations the year before"), "int"),
            ),
            schools_without_collaboration,
        ),
        Table(
            "associations-without-booking",
            _("Associations with approved offers but no booking this school year"),
            (
                Column("name", _("Association")),
                Column("approved_offers", _("Approved offers"), "int"),
            ),
            associations_without_booking,
        ),
        Table(
            "offers-never-booked",
            _("Approved offers never booked"),
            (
                Column("title", _("Offer")),
                Column("association", _("Association")),
                Column("domain", _("Domain")),
                Column("approved_at", _("Approved"), "date"),
            ),
            offers_never_booked,
        ),
        Table(
            "screening-waiting",
            _("Waiting for screening"),
            (
                Column("kind", _("Type")),
                Column("is_edit", _("New or edit")),
                Column("name", _("Name")),
                Column("association", _("Association")),
                Column("state", pgettext_lazy("screening", "State")),
                Column("submitted_at", _("Submitted"), "date"),
                Column("days_waiting", _("Days waiting"), "int"),
            ),
            screening_waiting,
        ),
        Table(
            "screening-decisions",
            _("Screening decisions by month"),
            (
                Column("month", _("Month"), "month"),
                Column("approved", _("Approved"), "int"),
                Column("changes_requested", _("Changes requested"), "int"),
                Column("rejected", _("Rejected"), "int"),
            ),
            screening_decisions_by_month,
        ),
        Table(
            "approvals-expiring",
            _("Approvals expiring in the next 60 days"),
            (
                Column("kind", _("Type")),
                Column("name", _("Name")),
                Column("association", _("Association")),
                Column("expires_on", _("Expires"), "date"),
            ),
            approvals_expiring,
        ),
        Table(
            "offers-hidden-certificates",
            _("Offers hidden from schools: a child certificate has expired"),
            (
                Column("title", _("Offer")),
                Column("association", _("Association")),
                Column("instructors", _("Instructors with an expired certificate")),
                Column("valid_until", _("Certificate valid until"), "date"),
                Column("state", pgettext_lazy("screening", "State")),
            ),
            offers_hidden_by_certificates,
        ),
        Table(
            "bookings-not-held",
            _("Bookings declined, expired or cancelled"),
            (
                Column("name", _("Outcome")),
                Column("bookings", _("Bookings"), "int"),
                Column("pupils", _("Pupils"), "int"),
                Column("prev_bookings", _("Bookings the year before"), "int"),
            ),
            bookings_not_held,
            uses_cube=True,
        ),
        Table(
            "waiting-lists",
            _("Waiting lists"),
            (
                Column("date", _("Date"), "date"),
                Column("offer", _("Offer")),
                Column("association", _("Association")),
                Column("schools", _("Schools waiting"), "int"),
                Column("places", _("Places wanted"), "int"),
                Column("pupils", _("Pupils"), "int"),
            ),
            waiting_lists,
        ),
        Table(
            "subsidy-pool",
            _("The subsidy pool"),
            (
                Column("school_year", _("School year")),
                Column("amount", _("Amount (DKK)"), "decimal"),
                Column("reserved", _("Reserved (DKK)"), "decimal"),
                Column("spent", _("Spent (DKK)"), "decimal"),
                Column("left", _("Left (DKK)"), "decimal"),
            ),
            subsidy_pool,
        ),
        Table(
            "subsidy-by-school",
            _("The municipality's subsidy by school"),
            (
                NAME_SCHOOL,
                Column("reserved", _("Reserved (DKK)"), "decimal"),
                Column("spent", _("Spent (DKK)"), "decimal"),
                Column("school_share", _("The school's own share (DKK)"), "decimal"),
                Column("left_of_cap", _("Left under the cap per school (DKK)"), "decimal"),
            ),
            subsidy_by_school,
        ),
        Table(
            "evaluations-by-association",
            _("Evaluations by association"),
            (
                NAME_ASSOCIATION,
                Column("evaluations", _("Evaluations"), "int"),
                Column("average", _("Average score (1–5)"), "average"),
                Column("pupils_joined", _("Pupils who later joined"), "int"),
            ),
            evaluations_by_association,
        ),
        Table(
            "evaluations-by-domain",
            _("Evaluations by domain"),
            (
                Column("name", _("Domain")),
                Column("evaluations", _("Evaluations"), "int"),
                Column("average", _("Average score (1–5)"), "average"),
                Column("pupils_joined", _("Pupils who later joined"), "int"),
            ),
            evaluations_by_domain,
        ),
        Table(
            "partnership-meetings",
            _("Status meetings of the partnerships"),
            (
                Column("name", _("Partner")),
                Column("held", _("Held"), "int"),
                Column("planned", _("Planned"), "int"),
                Column("expected", _("Expected a year"), "int"),
            ),
            partnership_meetings,
        ),
        Table(
            "partnership-goals",
            _("Goals of the partnerships at the latest minutes"),
            (
                Column("name", _("Partner")),
                Column("on_track", _("On track"), "int"),
                Column("behind", _("Behind"), "int"),
                Column("reached", _("Reached"), "int"),
                Column("dropped", _("Dropped"), "int"),
            ),
            partnership_goals,
        ),
        Table(
            "partnership-youth-members",
            _("Youth members of the partner associations by year"),
            (
                Column("year", _("Year")),
                Column("members_under_18", _("Members under 18"), "int"),
                Column("members_under_25", _("Members under 25"), "int"),
                Column("volunteers", _("Volunteers and trainers"), "int"),
                Column("members_target_areas", _("Members from the target areas"), "int"),
                Column("partners", _("Partners reporting"), "int"),
            ),
            partnership_youth_members,
        ),
        Table(
            "evaluation-comments",
            _("Comments from evaluations"),
            (
                Column("date", _("Date"), "date"),
                Column("offer", _("Offer")),
                Column("association", _("Association")),
                Column("school", _("School")),
                Column("side", _("From")),
                Column("rating", _("Score"), "int"),
                Column("comment", _("Comment")),
            ),
            evaluation_comments,
        ),
    ]
}


def table_rows(slug: str, municipality: Municipality, year: int) -> list[dict]:
    return TABLES[slug].rows(municipality, year)


def all_tables(municipality: Municipality, year: int) -> dict[str, list[dict]]:
    cube = booking_cube(municipality, year)
    return {
        slug: table.rows(municipality, year, cube=cube)
        if table.uses_cube
        else table.rows(municipality, year)
        for slug, table in TABLES.items()
    }


def summary(tables: dict[str, list[dict]]) -> dict:
    """Headline numbers, computed from the tables already fetched (no extra queries)."""
    months = tables["collaborations-by-month"]
    return {
        "collaborations": sum(r["collaborations"] for r in months),
        "prev_collaborations": sum(r["prev_collaborations"] for r in months),
        "pupils": sum(r["pupils"] for r in months),
        "prev_pupils": sum(r["prev_pupils"] for r in months),
        "schools_without": len(tables["schools-without-collaboration"]),
        "screening_waiting": len(tables["screening-waiting"]),
        "expiring": len(tables["approvals-expiring"]),
        "certificates_expired": len(tables["offers-hidden-certificates"]),
        "pupils_joined": sum(r["pupils_joined"] or 0 for r in tables["evaluations-by-association"]),
        "partnerships_active": len(tables["partnership-meetings"]),
        "meetings_held": sum(r["held"] for r in tables["partnership-meetings"]),
        "meetings_planned": sum(r["planned"] for r in tables["partnership-meetings"]),
        "meetings_expected": sum(r["expected"] for r in tables["partnership-meetings"]),
        "goals_on_track": sum(r["on_track"] for r in tables["partnership-goals"]),
        "goals_behind": sum(r["behind"] for r in tables["partnership-goals"]),
        "associations_with_collaboration": len(
            [r for r in tables["collaborations-by-association"] if r["collaborations"]]
        ),
    }
