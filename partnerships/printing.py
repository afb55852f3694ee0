"""The approved action plan on paper: the printable page's content and its PDF.

The PDF is drawn with ReportLab (pure Python from PyPI): it ships the Bitstream Vera
TrueType fonts, which are embedded, so æ, ø, å and the rest of Latin text come out right
with no system font or package (WeasyPrint would need Pango from apt). ``plan_sections``
gives the page and the PDF the same content, in the language active when it is called.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.templatetags.portal_format import local_date, money

from .models import ActionPlan

FONT, BOLD = "PortalVera", "PortalVeraBold"
#: A table row taller than what is left of a page goes on over the next (a goal may be a
#: thousand characters in short lines, taller than a page); no piece is under two lines.
SPLIT_IN_ROW = 24


@dataclass
class AreaSection:
    name: str
    goals: list = field(default_factory=list)
    activities: list = field(default_factory=list)


def plan_sections(plan: ActionPlan) -> list[AreaSection]:
    """The plan's focus areas in order, each with its goals and activities."""
    goals = list(plan.goals.all())
    activities = list(plan.activities.select_related("offer"))
    return [
        AreaSection(
            area.name,
            [g for g in goals if g.focus_area_id == area.pk],
            [a for a in activities if a.focus_area_id == area.pk],
        )
        for area in plan.focus_areas.order_by("position", "name")
    ]


def facts(plan: ActionPlan) -> list[tuple[str, str]]:
    """The partnership's facts at the top of the plan, as (label, value)."""
    p = plan.partnership
    contact = p.contact.full_name or p.contact.email if p.contact else "–"
    rows = [
        (_("Partner"), str(p.partner)),
        (_("Municipality"), str(p.municipality)),
        (_("Period"), f"{local_date(p.starts_on)}–{local_date(p.ends_on)}"),
        (_("Municipal contact person"), contact),
        (_("Resource person"), p.resource_name),
    ]
    schools = ", ".join(str(s) for s in p.schools.all())
    if schools:
        rows.append((_("Schools"), schools))
    if p.yearly_grant is not None:
        rows.append(
            (_("Yearly grant"), _("%(amount)s DKK a year") % {"amount": money(p.yearly_grant)})
        )
    if plan.approved_at:
        rows.append((_("Approved"), local_date(timezone.localtime(plan.approved_at).date())))
    return rows


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(rl_config.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(folder, "VeraBd.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=17, leading=21),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=8),
        "h3": ParagraphStyle("h3", base, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=4),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11.5),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=9, leading=11.5),
    }


def _p(text, style) -> Paragraph:
    """A paragraph of user text: escaped (ReportLab reads a small markup), lines kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(header: list[str], rows: list[list[str]], widths, st) -> Table:
    data = [[_p(h, st["head"]) for h in header]] + [[_p(c, st["cell"]) for c in r] for r in rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=SPLIT_IN_ROW)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def plan_pdf(plan: ActionPlan) -> bytes:
    """The plan as an A4 PDF, in the active language."""
    _fonts()
    st = _styles()
    width = A4[0] - 36 * mm
    story = [
        _p(_("Action plan"), st["h3"]),
        _p(plan.title, st["title"]),
        Spacer(1, 4 * mm),
        Table(
            [[_p(label, st["head"]), _p(value, st["cell"])] for label, value in facts(plan)],
            colWidths=[width * 0.3, width * 0.7],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
            splitInRow=SPLIT_IN_ROW,
        ),
    ]
    sections = plan_sections(plan)
    for section in sections:
        story += [_p(section.name, st["h2"]), _p(_("Goals"), st["h3"])]
        if section.goals:
            rows = [[g.description, g.indicator, g.target] for g in section.goals]
            header = [_("Goal"), _("Indicator"), _("Target")]
            story.append(_table(header, rows, [width * 0.5, width * 0.3, width * 0.2], st))
        else:
            story.append(_p("–", st["body"]))
        story.append(_p(_("Activities"), st["h3"]))
        if section.activities:
            rows = [
                [a.what, a.who, a.when, a.offer.title if a.offer else ""]
                for a in section.activities
            ]
            header = [_("What"), _("Who"), _("When"), _("Offer")]
            widths = [width * 0.4, width * 0.2, width * 0.2, width * 0.2]
            story.append(_table(header, rows, widths, st))
        else:
            story.append(_p("–", st["body"]))
    if not sections:
        story.append(_p(_("No focus area is chosen."), st["body"]))

    printed = _("Printed %(date)s") % {"date": local_date(timezone.localdate())}
    page_label = _("Page %(page)d")

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#495057"))
        footer = f"{plan.title} · {printed} · {page_label % {'page': doc.page}}"
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=plan.title,
        author=str(plan.partnership.municipality),
        subject=_("Action plan"),
        lang=get_language(),
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()
