"""Every dashboard table as CSV or Excel, in Danish number and date format.

CSV: ``;`` as separator, decimal comma, dates as dd.mm.yyyy, UTF-8 with a byte-order mark
so that Excel opens it with the Danish letters intact. Excel: real numbers and dates with
Danish-looking number formats, so the consultant can go on calculating.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.formats import date_format, number_format
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.formatting import money

from .services import Column, Table

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

XLSX_FORMATS = {
    "int": "#,##0",
    "decimal": "#,##0.00",
    "average": "0.0",
    "date": "dd.mm.yyyy",
    "month": "mm.yyyy",
}


def danish_number(value, places: int | None = None) -> str:
    """1234.5 -> "1234,50" (no thousands separator, so that spreadsheets read it back)."""
    if value is None:
        return ""
    if places is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-places))
    return str(value).replace(".", ",")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    """User-written text must not start a formula in Excel or LibreOffice (CSV/formula injection)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind in ("date", "month"):
        return value.strftime("%d.%m.%Y")
    if kind == "int":
        return str(int(value))
    if kind == "decimal":
        return danish_number(value, 2)
    if kind == "average":
        return danish_number(value, 1)
    return safe_text(value)


def display_cell(value, kind: str) -> str:
    """For the HTML page, in the active language."""
    if value is None or value == "":
        return "–"
    if kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    if kind == "int":
        return number_format(value, force_grouping=True)
    if kind == "decimal":  # every decimal column is an amount in DKK
        return money(value)
    if kind == "average":
        return number_format(value, 1)
    return str(value)


def _header(columns: tuple[Column, ...]) -> list[str]:
    return [str(c.label) for c in columns]


def to_csv(table: Table, rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header(table.columns))
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key), c.kind) for c in table.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value, kind: str):
    if value is None or value == "":
        return None
    if kind in ("date", "month"):
        return value
    if kind == "int":
        return int(value)
    if kind in ("decimal", "average"):
        return float(value)
    return safe_text(value)


def to_xlsx(table: Table, rows: list[dict], subtitle: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.slug[:31]
    sheet.append(_header(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_value(row.get(c.key), c.kind) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        number_format = XLSX_FORMATS.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        width = max([len(str(column.label))] + [len(str(r.get(column.key) or "")) for r in rows])
        sheet.column_dimensions[letter].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"
    if subtitle:
        workbook.properties.title = f"{table.title} – {subtitle}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
