"""The one spreadsheet module: cleaning, escaping, dates, and the upload reader's rules."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from app.core import spreadsheet as sheets
from app.core.downloads import download_name, slug


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Bone\x0b clinic\x00", "Bone clinic"),
        ("\x0b=1+1", "'=1+1"),  # cleaned first, then escaped
        ("خدمة 🦴", "خدمة 🦴"),
        (None, ""),
    ],
)
def test_safe_text_cleans_then_defuses(value, written) -> None:  # noqa: ANN001
    assert sheets.safe_text(value) == written
    assert sheets.unescape(sheets.safe_text(value)) == written.removeprefix("'") or value is None


def test_rows_keep_real_formulas_and_uk_dates() -> None:
    book = sheets.new_workbook("Test")
    sheet = sheets.add_table_sheet(book, "A: sheet/with*odd?name", [("Text", 10), ("When", 12)])
    sheets.append_row(sheet, ["=1+1", date(2026, 3, 27)])
    sheets.append_row(sheet, [sheets.Formula("=1+1"), datetime(2026, 3, 27, 9, 30)])
    reopened = load_workbook(io.BytesIO(sheets.workbook_bytes(book))).active
    assert reopened.title == "A  sheet with odd name"
    assert [c.value for c in reopened[1]] == ["Text", "When"] and reopened["A1"].font.bold
    assert reopened["A2"].value == "'=1+1" and reopened["A2"].data_type == "s"
    assert reopened["A3"].value == "=1+1" and reopened["A3"].data_type == "f"
    assert reopened["B2"].number_format == "DD/MM/YYYY" and reopened["B2"].is_date
    assert reopened["B3"].number_format == "DD/MM/YYYY HH:MM"
    assert reopened.freeze_panes == "A2"


def test_csv_has_a_byte_order_mark_and_escapes() -> None:
    data = sheets.csv_bytes(["Name", "Notes"], [["=HYPERLINK(1)", "line\r\nbreak\x0b"]])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig") == 'Name,Notes\r\n\'=HYPERLINK(1),"line\nbreak"\r\n'


@pytest.mark.parametrize(
    "data",
    [
        "Name;Town\nJosé;Léon\n".encode("utf-8-sig"),
        "Name;Town\nJosé;Léon\n".encode("cp1252"),  # Excel's plain "CSV"
        "Name\tTown\nJosé\tLéon\n".encode("utf-16"),
    ],
)
def test_csv_encodings_and_separators(data: bytes) -> None:
    rows = sheets.read_upload("people.csv", data, max_rows=10)
    assert rows == [(1, ["Name", "Town"]), (2, ["José", "Léon"])]


def test_xlsx_rows_keep_types_and_skip_blank_rows() -> None:
    book = Workbook()
    book.active.append(["Task", "Due"])
    book.active.append([])
    book.active.append(["Book  room ", datetime(2026, 3, 27)])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = sheets.read_upload("plan.xlsx", buffer.getvalue(), max_rows=10, kinds=("xlsx",))
    assert rows == [(1, ["Task", "Due"]), (3, ["Book  room ", datetime(2026, 3, 27)])]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.csv", b"", "The file is empty"),
        ("a.pdf", b"%PDF-1.7", "Choose a .csv or .xlsx file"),
        ("a.csv", b"h\n" + b"x\n" * 3, "more than 2 rows"),
        ("a.csv", b"x" * (sheets.MAX_UPLOAD_BYTES + 1), "larger than 5 MB"),
        ("a.xlsx", b"PK\x03\x04 not really", "could not be read"),
        ("a.csv", b'a,"b\n', None),  # an unclosed quote reads as one long cell, not an error
    ],
)
def test_unreadable_uploads_raise_upload_error(name: str, data: bytes, message) -> None:  # noqa: ANN001
    if message is None:
        assert sheets.read_upload(name, data, max_rows=2)
        return
    with pytest.raises(sheets.UploadError, match=message):
        sheets.read_upload(name, data, max_rows=2)


def test_plan_import_wants_xlsx_only() -> None:
    with pytest.raises(sheets.UploadError, match="Choose a .xlsx file"):
        sheets.read_upload("plan.csv", b"a,b\n", max_rows=2, kinds=("xlsx",))


def test_download_names_share_one_pattern() -> None:
    assert slug("St Mary's Hospital – FLS\x0b") == "st-mary-s-hospital-fls"
    assert slug("خدمة") == "site"
    assert download_name("Riverside FLS", "plan", "xlsx", date(2026, 3, 7)) == (
        "riverside-fls-plan-2026-03-07.xlsx"
    )
    assert download_name(None, "portfolio", "xlsx", date(2026, 3, 7)) == (
        "fls-portfolio-2026-03-07.xlsx"
    )


def test_a_formula_carries_the_value_the_app_computed() -> None:
    """Previews and pandas read cached values: openpyxl writes none of its own (#32 item 9)."""
    from io import BytesIO

    from openpyxl import load_workbook

    from app.core.spreadsheet import CachedFormula, append_row, formula_cell, new_workbook
    from app.core.spreadsheet import workbook_bytes as to_bytes

    book = new_workbook("Cached values")
    sheet = book.create_sheet("Results")
    append_row(sheet, ["Caseload", 400, CachedFormula("=B1*5", 2000)])
    append_row(
        sheet, ["Weekly", CachedFormula("=C1/52", 2000 / 52), CachedFormula('=IF(1,"","")', "")]
    )
    formula_cell(sheet, "D1", '=C1&" a year <&>"', "2000 a year <&>")
    data = to_bytes(book)
    values = load_workbook(BytesIO(data), data_only=True)["Results"]
    assert values["C1"].value == 2000 and abs(values["B2"].value - 2000 / 52) < 1e-9
    assert values["D1"].value == "2000 a year <&>"
    formulas = load_workbook(BytesIO(data))["Results"]
    assert formulas["C1"].value == "=B1*5" and formulas["B2"].value == "=C1/52"
