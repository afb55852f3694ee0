from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from municipalities.models import Municipality
from partnerships import figures
from partnerships.models import Partnership
from portal import charts, framing

from . import exports, services
from .permissions import dashboard_municipality

#: How many school years back the period picker offers.
YEARS_BACK = 5
#: Rows shown per table on the page; the downloads always hold every row.
PAGE_ROWS = 100


def _period(request: HttpRequest) -> int:
    current = services.current_school_year()
    try:
        year = int(request.GET.get("period", current))
    except ValueError:
        return current
    return year if 2000 <= year <= current + 1 else current


@dataclass
class TableView:
    slug: str
    title: str
    headers: list[tuple[str, bool]]
    cells: list[list[tuple[str, bool]]]
    csv_url: str
    xlsx_url: str
    total: int = 0

    @property
    def hidden(self) -> int:
        return self.total - len(self.cells)

    def body(self) -> SafeString:
        """The rows as HTML: the first cell heads its row, numbers align right. Joined here
        rather than by template loops (≈ 60 Python calls a cell; a municipality's table by
        association shows 100 rows of five). The cells are plain text (``display_cell``),
        escaped once with the standard library."""
        rows = []
        for (head, _numeric), *cells in self.cells:
            data = "".join(
                f'<td class="text-end">{escape(text)}</td>'
                if numeric
                else f"<td>{escape(text)}</td>"
                for text, numeric in cells
            )
            rows.append(f'<tr><th scope="row" class="fw-normal">{escape(head)}</th>{data}</tr>')
        return mark_safe("".join(rows))  # noqa: S308 # nosec B308 B703 - escaped above


NUMERIC = {"int", "decimal", "average"}


def _table_view(slug: str, rows: list[dict], query: str) -> TableView:
    table = services.TABLES[slug]
    return TableView(
        slug=slug,
        title=str(table.title),
        headers=[(str(c.label), c.kind in NUMERIC) for c in table.columns],
        cells=[
            [
                (exports.display_cell(row.get(c.key), c.kind), c.kind in NUMERIC)
                for c in table.columns
            ]
            for row in rows[:PAGE_ROWS]
        ],
        total=len(rows),
        csv_url=reverse("dashboard:export", args=[slug, "csv"]) + "?" + query,
        xlsx_url=reverse("dashboard:export", args=[slug, "xlsx"]) + "?" + query,
    )


def _partnership_charts(data: dict, tables: dict, this_label: str) -> dict:
    """The partnerships section's charts: meetings held vs planned, goals on track vs behind,
    and the youth members' trend (over the years, not the picked period)."""
    found = {}
    found["partnership_meetings"] = charts.bar_chart(
        "partnership-meetings",
        tables["partnership-meetings"].title,
        _("Status meetings held (upper bar) and planned (lower bar) in %(year)s, per partnership.")
        % {"year": this_label},
        data["partnership-meetings"],
        _("Held"),
        _("Planned"),
        key="held",
        prev_key="planned",
        empty=_("No status meetings this school year."),
    )
    found["partnership_goals"] = charts.bar_chart(
        "partnership-goals",
        tables["partnership-goals"].title,
        _(
            "Goals on track (upper bar) and behind (lower bar) at each partnership's latest minutes."
        ),
        data["partnership-goals"],
        _("On track"),
        _("Behind"),
        key="on_track",
        prev_key="behind",
        empty=_("No minutes yet."),
    )
    if data["partnership-youth-members"]:  # a trend over the years, not the picked period
        found["partnership_youth_members"] = figures.trend_chart(
            "partnership-youth-members",
            tables["partnership-youth-members"].title,
            data["partnership-youth-members"],
        )
    return found


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    municipality = dashboard_municipality(request)
    year = _period(request)
    params = {"period": year}
    if request.user.is_superuser:
        params["municipality"] = municipality.slug
    query = urlencode(params)
    data = services.all_tables(municipality, year)
    tables = {slug: _table_view(slug, rows, query) for slug, rows in data.items()}
    this_label = services.school_year_label(year)
    prev_label = services.school_year_label(year - 1)

    def bars(slug: str, description: str):
        return charts.bar_chart(
            slug, tables[slug].title, description, data[slug], this_label, prev_label
        )

    chart_views = {
        "collaborations-by-month": charts.line_chart(
            "collaborations-by-month",
            _("Collaborations by month"),
            _("Collaborations each month of %(year)s, with %(prev)s for comparison.")
            % {"year": this_label, "prev": prev_label},
            data["collaborations-by-month"],
            this_label,
            prev_label,
        ),
        "pupils-by-month": charts.line_chart(
            "pupils-by-month",
            _("Pupils reached by month"),
            _("Pupils reached each month of %(year)s, with %(prev)s for comparison.")
            % {"year": this_label, "prev": prev_label},
            data["collaborations-by-month"],
            this_label,
            prev_label,
            key="pupils",
            prev_key="prev_pupils",
        ),
    }
    for slug in (
        "collaborations-by-domain",
        "collaborations-by-grade",
        "collaborations-by-school",
        "collaborations-by-association",
    ):
        chart_views[slug] = bars(
            slug,
            _("Collaborations in %(year)s (upper bar) and %(prev)s (lower bar).")
            % {"year": this_label, "prev": prev_label},
        )
    chart_views.update(_partnership_charts(data, tables, this_label))
    current = services.current_school_year()
    context = {
        "municipality": municipality,
        "year": year,
        "year_label": this_label,
        "prev_label": prev_label,
        "years": [
            (y, services.school_year_label(y))
            for y in sorted({year, *range(current, current - YEARS_BACK, -1)}, reverse=True)
        ],
        "municipalities": (
            Municipality.objects.filter(is_active=True).order_by("name")
            if request.user.is_superuser
            else None
        ),
        "summary": services.summary(data),
        # The active partners who have not reported the year that ended (one query).
        "figures_missing": figures.figures_missing(
            Partnership.objects.for_municipality(municipality)
        ).count(),
        # Template variables cannot contain "-": the same slugs with "_".
        "tables": {slug.replace("-", "_"): t for slug, t in tables.items()},
        "charts": {slug.replace("-", "_"): c for slug, c in chart_views.items()},
    }
    return render(request, "dashboard/index.html", context)


@require_GET
@login_required
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    municipality = dashboard_municipality(request)
    if table not in services.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    year = _period(request)
    spec = services.TABLES[table]
    rows = spec.rows(municipality, year)
    filename = f"{table}-{municipality.slug}-{year}-{(year + 1) % 100:02d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(spec, rows), content_type=exports.CSV_CONTENT_TYPE)
    else:
        subtitle = f"{municipality} {services.school_year_label(year)}"
        response = HttpResponse(
            exports.to_xlsx(spec, rows, subtitle), content_type=exports.XLSX_CONTENT_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Public key figures ----------------------------------------------------------------------


def _public_municipality(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, is_active=True, show_public_key_figures=True)


@require_GET
def key_figures(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = _public_municipality(slug)
    return render(
        request,
        "dashboard/key_figures.html",
        {"municipality": municipality, "figures": services.key_figures(municipality)},
    )


@require_GET
@xframe_options_exempt
def key_figures_embed(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = _public_municipality(slug)
    response = render(
        request,
        "dashboard/key_figures_embed.html",
        {"municipality": municipality, "figures": services.key_figures(municipality)},
    )
    # Only the municipality's own intranet origins may frame the widget.
    return framing.allow_framing(response, municipality.embed_origins)
