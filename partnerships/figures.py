"""Yearly figures (issue 21, step 6): each partner association of a partnership reports once a
year its members under 18 and under 25, its volunteers and trainers, and (optionally) its
members from the target areas, as at the end of the year (seed 002).

What other pages use (the consultant's overview, the dashboard's partnerships section):

- ``figures_missing(partnerships, year)``: the partnerships among ``partnerships`` whose
  figures for ``year`` are due and not reported (``due_year()`` is the year asked for now);
  ``figures_status(partnerships)`` says it per partnership (the consultant's overview);
- ``youth_trend(municipality)``: the municipality's totals per year (seed 002's chart of
  youth members over the years), rows of ``TREND_COLUMNS``;
- ``partner_trends(municipality)``: every partner's figures per year;
- ``trend_chart(rows, ...)``: the line chart of a trend (``portal.charts``).

Reporting is ``report()``: one row per partnership and year, a correction edits it. The
reminder is the municipality's reminder rule of kind ``partnerships.figures``
(``notifications.models.ReminderRule``, N days after the end of the year), sent by
``scan_figures_reminders`` (beat task ``partnerships.tasks.remind_missing_figures``) through
``notifications.services.notify``, once per rule, partnership and year (the key).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import reminders as rules
from notifications.models import Notification, ReminderRule
from notifications.services import absolute_url, notify
from portal import charts

from .models import Partnership, PartnershipState, YearlyFigures

KIND = ReminderRule.Kind.FIGURES.value  # a plain str: the registry and the outbox key by it
#: Figures may be reported for up to this many years before the partnership began: the
#: association's starting point (seed 002 chooses associations by their youth members).
BASELINE_YEARS = 3
FIELDS = ("members_under_18", "members_under_25", "volunteers", "members_target_areas")


def due_year(today: date | None = None) -> int:
    """The year whose figures are asked for now: the year that has ended."""
    return (today or timezone.localdate()).year - 1


def reportable_years(partnership: Partnership, today: date | None = None) -> list[int]:
    """The years the partner may report or correct, newest first: from BASELINE_YEARS
    before the partnership began to the year it ends, and no later than this year."""
    today = today or timezone.localdate()
    first = partnership.starts_on.year - BASELINE_YEARS
    last = min(partnership.ends_on.year, today.year)
    return list(range(last, first - 1, -1))


def reports(partnership: Partnership) -> bool:
    """Only a partner association reports figures (a municipal institution does not)."""
    return partnership.association_id is not None


@transaction.atomic
def report(partnership: Partnership, year: int, *, by=None, **figures) -> YearlyFigures:
    """Store the partner's figures of ``year``: the first report creates the row, a second
    one (a correction, or the same form sent twice) changes the same row."""
    if not reports(partnership):
        raise ValidationError(_("Only a partner association reports yearly figures."))
    if year not in reportable_years(partnership):
        raise ValidationError(_("Figures cannot be reported for this year."), code="year")
    values = {name: figures.get(name) for name in FIELDS}
    row = YearlyFigures(partnership=partnership, year=year, reported_by=by, **values)
    row.full_clean(exclude=["partnership", "reported_by"], validate_unique=False)
    # Two reports at the same moment: the partnership's row lock puts them in a line.
    list(Partnership.objects.select_for_update().filter(pk=partnership.pk).values_list("pk"))
    existing = YearlyFigures.objects.filter(partnership=partnership, year=year).first()
    if existing is None:
        try:
            with transaction.atomic():
                row.save()
            return row
        except IntegrityError:  # pragma: no cover - the lock above makes this a safety net
            existing = YearlyFigures.objects.get(partnership=partnership, year=year)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.reported_by = by
    existing.save()
    return existing


# --- What is missing, and the trends -------------------------------------------------------


def asked_to_report(partnerships, year: int):
    """The partnerships (a queryset) that report figures for ``year``: active, with a partner
    association, running in that year."""
    return partnerships.filter(
        state=PartnershipState.ACTIVE,
        association__isnull=False,
        starts_on__year__lte=year,
        ends_on__year__gte=year,
    )


def figures_missing(partnerships, year: int | None = None):
    """The partnerships (a queryset) whose figures for ``year`` (the due year unless told)
    are missing: asked to report them and not reported."""
    year = due_year() if year is None else year
    reported = YearlyFigures.objects.filter(partnership=OuterRef("pk"), year=year)
    return asked_to_report(partnerships, year).exclude(Exists(reported)).order_by("pk")


def figures_status(partnerships, year: int | None = None) -> dict[int, bool]:
    """For the consultant's overview: {partnership id: its figures for ``year`` (the due
    year unless told) are missing} for each of ``partnerships`` (a list) asked to report
    that year; the others (an institution, not active, not running then) are left out."""
    year = due_year() if year is None else year
    asked = [
        p.pk
        for p in partnerships
        if p.association_id
        and p.state == PartnershipState.ACTIVE
        and p.starts_on.year <= year <= p.ends_on.year
    ]
    missing = set(
        figures_missing(Partnership.objects.filter(pk__in=asked), year).values_list("pk", flat=True)
    )
    return {pk: pk in missing for pk in asked}


#: (key, label, kind as in the dashboard's tables): the columns of a trend.
TREND_COLUMNS = (
    ("year", gettext_lazy("year"), "text"),
    ("members_under_18", gettext_lazy("members under 18"), "int"),
    ("members_under_25", gettext_lazy("members under 25"), "int"),
    ("volunteers", gettext_lazy("volunteers and trainers"), "int"),
    ("members_target_areas", gettext_lazy("members from the target areas"), "int"),
)


def partnership_trend(partnership: Partnership) -> list[dict]:
    """The partner's own figures, oldest year first (``TREND_COLUMNS``)."""
    return list(partnership.yearly_figures.order_by("year").values("year", *FIELDS))


def youth_trend(municipality) -> list[dict]:
    """The municipality's totals per year, oldest first: the sums of every partner's
    figures (``TREND_COLUMNS``) and ``partners``, how many reported. One query."""
    rows = (
        YearlyFigures.objects.for_municipality(municipality)
        .values("year")
        .annotate(
            members_under_18=Sum("members_under_18"),
            members_under_25=Sum("members_under_25"),
            volunteers=Sum("volunteers"),
            members_target_areas=Sum("members_target_areas"),
            partners=Count("id"),
        )
        .order_by("year")
    )
    return list(rows)


def partner_trends(municipality) -> list[dict]:
    """Every partner's figures: ``{"partnership", "rows"}`` per partnership with figures
    (the partner's name order), each ``rows`` oldest year first. Two queries."""
    partnerships = {
        p.pk: p
        for p in Partnership.objects.for_municipality(municipality)
        .filter(yearly_figures__isnull=False)
        .select_related("association", "institution")
        .distinct()
    }
    out: dict[int, list[dict]] = {pk: [] for pk in partnerships}
    figures = YearlyFigures.objects.filter(partnership__in=list(partnerships)).order_by("year")
    for row in figures.values("partnership_id", "year", *FIELDS):
        out[row["partnership_id"]].append(row)
    ordered = sorted(partnerships.values(), key=lambda p: (str(p.partner).lower(), p.pk))
    return [{"partnership": p, "rows": out[p.pk]} for p in ordered]


def trend_chart(slug: str, title: str, rows: list[dict]) -> charts.LineChart:
    """The members under 25 (full line) and under 18 (dashed) over the years."""
    first, last = (rows[0]["year"], rows[-1]["year"]) if rows else ("", "")
    return charts.line_chart(
        slug,
        title,
        _("Members under 25 and under 18 each year from %(first)s to %(last)s.")
        % {"first": first, "last": last},
        rows,
        _("Under 25"),
        _("Under 18"),
        key="members_under_25",
        prev_key="members_under_18",
        label_key="year",
    )


# --- The reminder ---------------------------------------------------------------------------


def figures_url(partnership: Partnership) -> str:
    return absolute_url(
        reverse("partnerships:figures", args=[partnership.association.slug, partnership.pk])
    )


def figures_still_wanted(notification: Notification) -> str:
    """ "" to send; otherwise why not (reported meanwhile, no longer active)."""
    guard = notification.guard or {}
    if "partnership" not in guard:
        return ""
    partnerships = Partnership.objects.filter(pk=guard["partnership"])
    if not figures_missing(partnerships, guard.get("year")).exists():
        return "the figures are reported or no longer asked for"
    return ""


def rule_due_year(rule: ReminderRule, today: date) -> int | None:
    """The year the rule asks for today: the year whose end lies in the rule's window."""
    lo, hi = rules.anchor_window(rule, today)
    new_year = rules.day_start(date(today.year, 1, 1))
    return today.year - 1 if lo <= new_year < hi else None


def remind(rule: ReminderRule, partnerships, year: int) -> int:
    """Queue this rule's e-mail to each partnership's resource person and send them over
    one connection. The key names rule, partnership and year: once a year."""
    queued = []
    for partnership in partnerships:
        email = partnership.resource_email
        key = (
            f"{KIND}:rule={rule.pk}:partnership={partnership.pk}:year={year}"
            f":to={rules.email_hash(email)}"
        )
        notification = notify(
            kind=KIND,
            key=key,
            to_email=email,
            template=rule.template,
            context={
                "partnership": partnership,
                "association_name": partnership.association.name,
                "year": year,
                "recipient_name": partnership.resource_name,
                "action_url": figures_url(partnership),
            },
            deliver=False,
            guard={"partnership": partnership.pk, "year": year},
        )
        if notification is not None:
            queued.append(notification)
    return rules.send_batch(queued)


def scan_figures_reminders(today: date | None = None, batch_size: int = rules.BATCH_SIZE) -> int:
    """The municipalities' figures rules that are due today: remind every partnership whose
    figures are missing. Returns the number sent; safe to run twice (the keys)."""
    today = today or timezone.localdate()
    sent = 0
    for rule in rules.active_rules(kinds=[KIND]):
        year = rule_due_year(rule, today)
        if year is None:
            continue
        missing = figures_missing(
            Partnership.objects.for_municipality(rule.municipality), year
        ).select_related("association")
        for batch in rules.batches(missing.iterator(chunk_size=batch_size), batch_size):
            sent += remind(rule, batch, year)
    return sent
