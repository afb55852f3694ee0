"""The line chart as a browser draws it (portal.charts, partials/_line_chart.html): its texts
stay inside the drawing and clear of each other, also when the highest value is the first
month's, next to the y axis' numbers and under the legend. Skipped without Chromium."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from portal import charts

pytestmark = pytest.mark.e2e

OVERLAPS = """() => {
    const out = [];
    const meet = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width
        && a.y < b.y + b.height && b.y < a.y + a.height;
    const svg = document.querySelector('svg');
    const [, , w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
    const fixed = [...svg.querySelectorAll('.legend text, .axis text[text-anchor=end]')];
    for (const t of svg.querySelectorAll('text')) {
        const b = t.getBBox();
        if (b.x < 0 || b.y < 0 || b.x + b.width > w || b.y + b.height > h)
            out.push('outside: ' + t.textContent);
    }
    for (const p of svg.querySelectorAll('.point-value'))
        for (const f of fixed)
            if (meet(p.getBBox(), f.getBBox())) out.push(p.textContent + ' on ' + f.textContent);
    return out;
}"""


@pytest.mark.parametrize(("peak", "value"), [(0, 1250), (1, 1000), (2, 1000), (11, 1250)])
def test_the_labels_keep_clear_of_the_legend_the_axis_and_the_edge(page, peak, value):
    """``value`` 1000 is a round maximum: its point sits on the plot's top line."""
    months = [date(2025 + (i >= 5), (7 + i) % 12 + 1, 1) for i in range(12)]  # Aug-Jul
    rows = [
        {
            "month": m,
            "collaborations": value if i == peak else 300 + 10 * i,
            "prev_collaborations": 0,
        }
        for i, m in enumerate(months)
    ]
    chart = charts.line_chart("c", "Samarbejder", "", rows, "2025/26", "2024/25")
    css = Path(settings.BASE_DIR, "static/css/charts.css").read_text(encoding="utf-8")
    html = render_to_string("partials/_line_chart.html", {"chart": chart})
    page.set_content(
        f"<!doctype html><html lang='da'><body style='width:900px'>{html}</body></html>"
    )
    page.add_style_tag(content=css)
    assert page.locator(".point-value").count() == 12
    problems = page.evaluate(OVERLAPS)
    assert not problems, problems
