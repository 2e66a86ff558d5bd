"""Every spreadsheet the app writes (xlsx and CSV) goes through here.

Writing: text is cleaned (characters Excel cannot store are dropped) and defused (a cell
starting with = + - @, a tab or a return is written with a leading apostrophe, so a
spreadsheet shows it and never runs it), headers are bold and frozen, columns have widths
and dates are real date cells shown the UK way. A formula the app means to write is
wrapped in `Formula` and left alone. Uploads are read by `app.core.spreadsheet_reader`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core.cleantext import clean_text, one_line
from app.core.xlsx_formulas import (  # noqa: F401 - Formula and formula_cell are used through here
    CachedFormula,
    Formula,
    formula_cell,
    remember,
    with_cached_values,
)

# What spreadsheet programs treat as the start of a formula (formula or CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UK_DATE = "DD/MM/YYYY"
UK_DATETIME = "DD/MM/YYYY HH:MM"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="E8EDEE", end_color="E8EDEE")


def safe_text(value: object) -> str:
    """Text a spreadsheet will show and never run, with nothing it cannot store."""
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape(value: str) -> str:
    """Undo `safe_text`'s apostrophe, so an exported file imports unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def cell_value(value: object) -> object:
    """A value as it goes into a cell: text made safe, dates naive (Excel has no zones)."""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def append_row(sheet: Worksheet, values: Sequence[object]) -> int:
    """Add one row of safe values; date cells get the UK format. Returns the row number."""
    # The cells are made here so the row number comes from them: `sheet.max_row` looks at
    # every cell of the sheet, which made a sheet of n rows cost n² (a 300-task plan).
    cells = [Cell(sheet, value=cell_value(v)) for v in values]
    for cell, value in zip(cells, values, strict=True):
        if isinstance(value, datetime):
            cell.number_format = UK_DATETIME
        elif isinstance(value, date):
            cell.number_format = UK_DATE
    sheet.append(cells)
    for cell, value in zip(cells, values, strict=True):
        if isinstance(value, CachedFormula):  # its cell has its place now
            remember(sheet, cell, value)
    return cells[0].row if cells else sheet.max_row


def style_header(sheet: Worksheet, row: int = 1) -> None:
    for cell in sheet[row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def set_widths(sheet: Worksheet, widths: Sequence[float | None]) -> None:
    for index, width in enumerate(widths, start=1):
        if width:
            sheet.column_dimensions[get_column_letter(index)].width = width


def new_workbook(title: str) -> Workbook:
    """A workbook with no sheets yet (add them with `add_table_sheet` or `create_sheet`)."""
    book = Workbook()
    book.remove(book.active)
    set_properties(book, title)
    return book


def add_table_sheet(
    book: Workbook,
    title: str,
    columns: Sequence[tuple[str, float | None]],
    rows: Iterable[Sequence[object]] = (),
    *,
    freeze: str | None = "A2",
    filters: bool = False,
) -> Worksheet:
    """A sheet with a styled header row, widths and the rows (dates as UK date cells)."""
    sheet = book.create_sheet(safe_title(title))
    sheet.append([safe_text(heading) for heading, _width in columns])
    style_header(sheet)
    set_widths(sheet, [width for _heading, width in columns])
    for values in rows:
        append_row(sheet, values)
    if freeze:
        sheet.freeze_panes = freeze
    if filters:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{sheet.max_row}"
    return sheet


def safe_title(title: str) -> str:
    """A sheet name Excel accepts: one line, no []:*?/\\ and at most 31 characters."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in one_line(title))
    return cleaned.strip()[:31] or "Sheet"


def set_properties(book: Workbook, title: str) -> None:
    """The workbook's title (a site's name in it may hold any character: a vertical tab
    pasted from a PDF made the file unsavable). Every workbook's title is set here."""
    book.properties.title = one_line(title)[:200]


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as a file, with every `CachedFormula`'s value stored beside it."""
    buffer = io.BytesIO()
    book.save(buffer)
    return with_cached_values(buffer.getvalue(), book)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads accents right), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in headers])
    for row in rows:
        writer.writerow([safe_text(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# Write-only ("streamed") workbooks: rows go to disk as they are added, in time and memory
# linear in rows; the same cleaned values and UK date formats as `append_row`.


def new_streamed_workbook(title: str) -> Workbook:
    book = Workbook(write_only=True)
    set_properties(book, title)
    return book


def add_streamed_sheet(
    book: Workbook, title: str, columns: Sequence[tuple[str, float | None]]
) -> Any:
    """A write-only sheet with widths, a frozen, styled header row (rows follow with
    `streamed_row`; `finish_streamed_sheet` adds the filter once every row is in)."""
    sheet = book.create_sheet(safe_title(title))
    set_widths(sheet, [width for _heading, width in columns])
    sheet.freeze_panes = "A2"
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=safe_text(heading))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    return sheet


def streamed_row(sheet: Any, values: Sequence[object], fills: dict[int, str] | None = None) -> None:
    """One row of safe values; `fills` colours cells by column number (from 1). Plain values
    go out as they are; only a date or a filled cell needs a cell object (its style)."""
    row: list[object] = []
    for column, value in enumerate(values, start=1):
        fill = fills.get(column) if fills else None
        if fill is None and not isinstance(value, date):
            row.append(cell_value(value))
            continue
        cell = WriteOnlyCell(sheet, value=cell_value(value))
        if isinstance(value, datetime):
            cell.number_format = UK_DATETIME
        elif isinstance(value, date):
            cell.number_format = UK_DATE
        if fill is not None:
            cell.fill = _solid_fill(fill)
        row.append(cell)
    sheet.append(row)


@lru_cache(maxsize=32)
def _solid_fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


def finish_streamed_sheet(sheet: Any, columns: int, rows: int) -> None:
    """Filters over the header and `rows` data rows."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"
