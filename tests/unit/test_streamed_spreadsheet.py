"""Write-only (streamed) sheets clean cells as `append_row` does: formulas defused, dates
in UK formats, fills, a frozen styled header and filters over every row."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook

from app.core import spreadsheet as sheets


def test_a_streamed_sheet_keeps_the_cleaning_and_formats() -> None:
    book = sheets.new_streamed_workbook("Streamed")
    sheet = sheets.add_streamed_sheet(book, "Rows", [("Name", 20), ("On", 12), ("At", 16)])
    sheets.streamed_row(sheet, ["=HYPERLINK(1)", date(2026, 3, 7), datetime(2026, 3, 7, 9)])
    sheets.streamed_row(sheet, ["Plain\x0b", None, None], fills={1: "F2D3D4"})
    sheets.finish_streamed_sheet(sheet, 3, 2)
    read = load_workbook(BytesIO(sheets.workbook_bytes(book))).active
    first, second = read[2], read[3]
    assert first[0].value == "'=HYPERLINK(1)"
    assert first[1].number_format == sheets.UK_DATE
    assert first[2].number_format == sheets.UK_DATETIME
    assert second[0].value == "Plain" and second[0].fill.start_color.rgb.endswith("F2D3D4")
    assert read["A1"].font.bold and read.freeze_panes == "A2"
    assert read.auto_filter.ref == "A1:C3" and read.column_dimensions["A"].width == 20
