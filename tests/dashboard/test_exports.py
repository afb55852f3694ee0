"""Every table downloads as CSV and Excel in Danish format, and parses back to the same numbers."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboard.services import TABLES
from tests import factories as f

from .conftest import YEAR


def export(client, user, table, fmt, **params):
    client.force_login(user)
    return client.get(reverse("dashboard:export", args=[table, fmt]), {"period": YEAR, **params})


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode())  # BOM: Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True)), sheet


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_downloads(client, consultant, data, table, fmt):
    response = export(client, consultant, table, fmt)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{table}-helsingor-2025-26.{fmt}" in response["Content-Disposition"]
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)[0]
    assert len(rows[0]) == len(TABLES[table].columns)


def test_csv_in_danish_format(client, consultant, data):
    rows = read_csv(export(client, consultant, "collaborations-by-month", "csv"))
    assert rows[0] == [
        "Måned",
        "Samarbejder",
        "Elever nået",
        "Samarbejder året før",
        "Elever året før",
    ]
    assert rows[2] == ["01.09.2025", "1", "20", "1", "19"]
    assert rows[3] == ["01.10.2025", "2", "47", "0", "0"]
    assert len(rows) == 13
    subsidy = read_csv(export(client, consultant, "subsidy-by-school", "csv"))
    assert subsidy[1:] == [
        ["Skole A", "500,00", "0,00", "500,00", ""],
        ["Skole B", "0,00", "1200,25", "1200,25", ""],
    ]
    averages = read_csv(export(client, consultant, "evaluations-by-association", "csv"))
    assert averages[1] == ["Idrætsforeningen", "3", "4,3", "5"]
    comments = read_csv(export(client, consultant, "evaluation-comments", "csv"))
    assert comments[1][0] == "05.10.2025" and comments[1][-1] == "Rigtig god dag"


def test_xlsx_has_real_numbers_and_dates(client, consultant, data):
    rows, sheet = read_xlsx(export(client, consultant, "collaborations-by-month", "xlsx"))
    assert rows[0][0] == "Måned"
    assert rows[2] == (datetime(2025, 9, 1), 1, 20, 1, 19)
    assert sheet["B3"].number_format == "#,##0"
    assert sheet["A3"].number_format == "mm.yyyy"
    rows, sheet = read_xlsx(export(client, consultant, "subsidy-by-school", "xlsx"))
    assert rows[2] == ("Skole B", 0, 1200.25, 1200.25, None)
    assert sheet["C3"].number_format == "#,##0.00"
    rows, sheet = read_xlsx(export(client, consultant, "evaluations-by-association", "xlsx"))
    assert rows[1] == ("Idrætsforeningen", 3, 4.3, 5)
    rows, sheet = read_xlsx(export(client, consultant, "offers-never-booked", "xlsx"))
    assert rows[1][:2] == ("Sang", "Koret")
    assert isinstance(rows[1][3], datetime) and rows[1][3].date() <= date.today()
    assert sheet["D2"].number_format == "dd.mm.yyyy"


def test_exports_are_isolated_by_municipality(client, consultant, other_consultant, data):
    for fmt in ("csv", "xlsx"):
        response = export(
            client, consultant, "evaluation-comments", fmt, municipality="fredensborg"
        )
        assert b"Hemmelig" not in response.content
        text = str(read_csv(response) if fmt == "csv" else read_xlsx(response)[0])
        assert "Hemmelig" not in text and "Rigtig god dag" in text
    rows = read_csv(export(client, other_consultant, "collaborations-by-school", "csv"))
    assert [r[0] for r in rows[1:]] == ["Fremmed Skole"]


def test_export_period_filter(client, consultant, data):
    rows = read_csv(export(client, consultant, "collaborations-by-school", "csv", period=2024))
    # 2024/25 (compared with 2023/24): only Skole C had a collaboration.
    assert rows[1:] == [["Skole C", "1", "19", "0", "0"]]


def test_unknown_table_or_format_is_404(client, consultant, db):
    assert export(client, consultant, "nope", "csv").status_code == 404
    assert export(client, consultant, "collaborations-by-month", "pdf").status_code == 404


def test_export_refused_to_others(client, teacher, association_admin, db):
    for user in (teacher, association_admin, f.UserFactory()):
        assert export(client, user, "collaborations-by-month", "csv").status_code == 403
    client.logout()
    response = client.get(reverse("dashboard:export", args=["collaborations-by-month", "csv"]))
    assert response.status_code == 302


def test_user_text_cannot_start_a_formula():
    from dashboard.exports import csv_cell

    assert csv_cell('=HYPERLINK("http://evil")', "text") == '\'=HYPERLINK("http://evil")'
    assert csv_cell("+45 12 34", "text") == "'+45 12 34"
    assert csv_cell("Roklubben", "text") == "Roklubben"
