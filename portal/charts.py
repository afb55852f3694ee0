"""Server-side SVG charts: geometry computed here, drawn by templates/partials/_*_chart.html
(with the rules of static/css/charts.css).

No JavaScript and no external library: a bar chart (this year against the year before,
one row per category) and a line chart (two series by month, or by any label: the
partnerships' yearly figures draw members under 25 and under 18 by year). Every chart has a
title and a short description for screen readers; the same numbers are in a table beside it.
The dashboard and the partnerships' figures use them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 48


def nice_max(value: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)  # pragma: no cover


def _short(text: str, length: int = 28) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass
class Bar:
    label: str
    full_label: str
    y: float
    this_width: float
    prev_width: float
    this_value: str
    prev_value: str
    this_text_x: float
    prev_text_x: float


@dataclass
class BarChart:
    slug: str
    title: str
    description: str
    this_label: str
    prev_label: str
    height: int
    bars: list[Bar] = field(default_factory=list)
    width: int = WIDTH
    label_x: int = LABEL_WIDTH - 8
    bar_x: int = LABEL_WIDTH
    #: What an empty chart says (default: no collaborations yet).
    empty: str = ""


def bar_chart(
    slug: str,
    title: str,
    description: str,
    rows: list[dict],
    this_label: str,
    prev_label: str,
    key: str = "collaborations",
    prev_key: str = "prev_collaborations",
    limit: int = 15,
    empty: str = "",
) -> BarChart:
    rows = rows[:limit]
    top = nice_max(max([r[key] for r in rows] + [r[prev_key] for r in rows] + [1]))
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / top
    row_height = 34
    chart = BarChart(slug, title, description, this_label, prev_label, 30 + row_height * len(rows))
    chart.empty = empty
    for index, row in enumerate(rows):
        y = 30 + index * row_height
        this_width, prev_width = row[key] * scale, row[prev_key] * scale
        chart.bars.append(
            Bar(
                label=_short(row["name"]),
                full_label=str(row["name"]),
                y=y,
                this_width=round(this_width, 1),
                prev_width=round(prev_width, 1),
                this_value=number_format(row[key], force_grouping=True),
                prev_value=number_format(row[prev_key], force_grouping=True),
                this_text_x=round(LABEL_WIDTH + this_width + 4, 1),
                prev_text_x=round(LABEL_WIDTH + prev_width + 4, 1),
            )
        )
    return chart


@dataclass
class Point:
    x: float
    y: float
    value: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class MonthLabel:
    x: float
    label: str


@dataclass
class LineChart:
    slug: str
    title: str
    description: str
    this_label: str
    prev_label: str
    this_points: list[Point]
    prev_points: list[Point]
    ticks: list[Tick]
    months: list[MonthLabel]
    width: int = WIDTH
    height: int = 260
    left: int = 44
    right: int = WIDTH - 12
    bottom: int = 226
    top: int = 40  # room for the legend and, under it, the labels of the highest points
    #: Between the axes' ends and the first and last point: their labels and month names
    #: are centred on them and stay clear of the y axis' numbers and of the edge.
    inset: int = 24

    @property
    def this_polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.this_points)

    @property
    def prev_polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.prev_points)


def line_chart(
    slug: str,
    title: str,
    description: str,
    rows: list[dict],
    this_label: str,
    prev_label: str,
    key: str = "collaborations",
    prev_key: str = "prev_collaborations",
    label_key: str = "",
) -> LineChart:
    """Two series over ``rows``; each row's x label is its month's name, or its
    ``label_key`` value when given (a missing value counts as 0)."""
    chart = LineChart(slug, title, description, this_label, prev_label, [], [], [], [])
    rows = [{**r, key: r[key] or 0, prev_key: r[prev_key] or 0} for r in rows]
    top = nice_max(max([r[key] for r in rows] + [r[prev_key] for r in rows] + [1]))
    span_x = (chart.right - chart.left - 2 * chart.inset) / max(len(rows) - 1, 1)
    span_y = chart.bottom - chart.top

    def y_of(value: float) -> float:
        return round(chart.bottom - value / top * span_y, 1)

    for index, row in enumerate(rows):
        x = round(chart.left + chart.inset + index * span_x, 1)
        chart.this_points.append(Point(x, y_of(row[key]), number_format(row[key])))
        chart.prev_points.append(Point(x, y_of(row[prev_key]), number_format(row[prev_key])))
        label = str(row[label_key]) if label_key else date_format(row["month"], "M")
        chart.months.append(MonthLabel(x, label))
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = top * fraction
        if value != int(value):
            continue
        chart.ticks.append(Tick(y_of(value), number_format(int(value), force_grouping=True)))
    return chart
