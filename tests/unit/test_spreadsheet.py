"""The one spreadsheet module: cleaning, escaping, dates, and the upload reader's rules."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from app.core import spreadsheet as sheets
from app.core import spreadsheet_reader as reader
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
    rows = reader.read_upload("people.csv", data, max_rows=10)
    assert rows == [(1, ["Name", "Town"]), (2, ["José", "Léon"])]


def test_xlsx_rows_keep_types_and_skip_blank_rows() -> None:
    book = Workbook()
    book.active.append(["Task", "Due"])
    book.active.append([])
    book.active.append(["Book  room ", datetime(2026, 3, 27)])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = reader.read_upload("plan.xlsx", buffer.getvalue(), max_rows=10, kinds=("xlsx",))
    assert rows == [(1, ["Task", "Due"]), (3, ["Book  room ", datetime(2026, 3, 27)])]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.csv", b"", "The file is empty"),
        ("a.pdf", b"%PDF-1.7", "Choose a .csv or .xlsx file"),
        ("a.csv", b"h\n" + b"x\n" * 3, "more than 2 rows"),
        ("a.csv", b"x" * (reader.MAX_UPLOAD_BYTES + 1), "larger than 5 MB"),
        ("a.xlsx", b"PK\x03\x04 not really", "could not be read"),
        ("a.csv", b'a,"b\n', None),  # an unclosed quote reads as one long cell, not an error
    ],
)
def test_unreadable_uploads_raise_upload_error(name: str, data: bytes, message) -> None:  # noqa: ANN001
    if message is None:
        assert reader.read_upload(name, data, max_rows=2)
        return
    with pytest.raises(reader.UploadError, match=message):
        reader.read_upload(name, data, max_rows=2)


def test_plan_import_wants_xlsx_only() -> None:
    with pytest.raises(reader.UploadError, match="Choose a .xlsx file"):
        reader.read_upload("plan.csv", b"a,b\n", max_rows=2, kinds=("xlsx",))


def test_download_names_share_one_pattern() -> None:
    assert slug("St Mary's Hospital – FLS\x0b") == "st-mary-s-hospital-fls"
    assert slug("خدمة") == "site"
    assert download_name("Riverside FLS", "plan", "xlsx", date(2026, 3, 7)) == (
        "riverside-fls-plan-2026-03-07.xlsx"
    )
    assert download_name(None, "portfolio", "xlsx", date(2026, 3, 7)) == (
        "fls-portfolio-2026-03-07.xlsx"
    )


SHEET_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced by `sheet_xml`."""
    book = Workbook()
    book.active.append(["Task"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def cell(row: int, text: str) -> bytes:
    return f'<c r="A{row}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


@pytest.mark.parametrize(
    "sheet, message",
    [
        # one row far below the data: openpyxl would hand over every empty row before it
        (b'<row r="1">' + cell(1, "Task") + b'</row><row r="10000000">' + cell(10**7, "x")
         + b"</row>", "rows down to row 10,000,000"),
        # an empty row element counts as much as a full one
        (b'<row r="1">' + cell(1, "Task") + b'</row><row r="9000"/>', "rows down to row 9,000"),
        # rows without r follow on from the row before, as openpyxl numbers them
        (b'<row r="1010"/>' + b"<row/>" * 5, "rows down to row 1,012"),
        (b'<x:row r="10000000"/>', "rows down to row 10,000,000"),
        (b"<row r='10000000' spans='1:1'/>", "rows down to row 10,000,000"),
        # numbers openpyxl would read but a byte scan cannot: refused outright
        (b'<row r="1e7"/>', "could not be read"),
        (b'<row r="&#49;0000000"/>', "could not be read"),
    ],
)  # fmt: skip
def test_row_numbers_past_the_limit_are_refused_before_reading(sheet, message) -> None:  # noqa: ANN001
    data = workbook_with_sheet(SHEET_NS + b"<sheetData>" + sheet + b"</sheetData></worksheet>")
    started = time.monotonic()
    with pytest.raises(reader.UploadError, match=message):
        reader.read_upload("plan.xlsx", data, max_rows=10, kinds=("xlsx",))
    assert time.monotonic() - started < 1


def test_a_declared_dimension_past_the_limit_is_refused() -> None:
    sheet = (
        SHEET_NS + b'<dimension ref="A1:B1048576"/><sheetData><row r="1">' + cell(1, "Task")
        + b"</row></sheetData></worksheet>"
    )  # fmt: skip
    with pytest.raises(reader.UploadError, match="rows down to row 1,048,576"):
        reader.read_upload("plan.xlsx", workbook_with_sheet(sheet), max_rows=10, kinds=("xlsx",))


def test_blank_rows_within_the_limit_are_read_past() -> None:
    last = 10 + 1 + reader.SPARE_ROWS
    sheet = (
        SHEET_NS + b'<sheetData><row r="1">' + cell(1, "Task") + b"</row>"
        + f'<row r="{last}">'.encode() + cell(last, "Book room") + b"</row></sheetData></worksheet>"
    )  # fmt: skip
    rows = reader.read_upload("plan.xlsx", workbook_with_sheet(sheet), max_rows=10, kinds=("xlsx",))
    assert rows == [(1, ["Task"]), (last, ["Book room"])]


def test_blank_csv_lines_count_against_the_limit() -> None:
    data = b"Name\n" + b"\n" * 2_000_000 + b"Ann\n"
    started = time.monotonic()
    with pytest.raises(reader.UploadError, match="rows down to row 1,012"):
        reader.read_upload("people.csv", data, max_rows=10)
    assert time.monotonic() - started < 1


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
