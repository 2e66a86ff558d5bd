"""Every spreadsheet the app writes (xlsx and CSV) goes through here.

Writing: text is cleaned (characters Excel cannot store are dropped) and defused (a cell
starting with = + - @, a tab or a return is written with a leading apostrophe, so a
spreadsheet shows it and never runs it), headers are bold and frozen, columns have widths
and dates are real date cells shown the UK way. A formula the app means to write is
wrapped in `Formula` and left alone.

Reading: `read_upload` is the one reader for uploaded CSV and xlsx files, with hard limits
(file size, size once unzipped, rows, seconds) checked before or while reading, never
after everything is in memory. Whatever is wrong with a file, it raises `UploadError`
with a sentence for the person who uploaded it; views answer that with 422.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core.cleantext import clean_text
from app.core.errors import ServiceError
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
    """A sheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in clean_text(title))
    return cleaned.strip()[:31] or "Sheet"


def set_properties(book: Workbook, title: str) -> None:
    book.properties.title = clean_text(title)[:200]


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


# --- Reading an upload ------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the file as uploaded
MAX_EXPANDED_BYTES = 25 * 1024 * 1024  # an xlsx's parts once unzipped (a zip bomb's tell)
MAX_PARTS = 1000
MAX_COLUMNS = 60  # no import reads more than this many columns of a row
CELLS_PER_ROW = 30  # cells allowed per allowed row, counted before openpyxl parses anything
MAX_SECONDS = 20.0  # the last resort: the limits above stop hostile files long before
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")  # <c ...> or <x:c ...>, not <col> or <cfRule>
_STRING_TAG = re.compile(rb"<(?:\w+:)?si[\s/>]")  # one shared string (openpyxl loads them all)
UNREADABLE_XLSX = "The Excel file could not be read. Save it again as .xlsx and try again."
TOO_LARGE = (
    "The workbook is too large once opened. Remove unused sheets, rows, columns or "
    "formatting, or split it into smaller files."
)


class UploadError(ServiceError):
    """The upload cannot be read at all; nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "file")


def read_upload(
    filename: str | None,
    data: bytes,
    *,
    max_rows: int,
    kinds: tuple[str, ...] = ("csv", "xlsx"),
    max_seconds: float = MAX_SECONDS,
) -> list[tuple[int, list[object]]]:
    """The file's non-empty rows with their row numbers, the header row first.

    CSV cells are text (UTF-8, with or without a byte-order mark; otherwise Windows-1252,
    which is what Excel's plain "CSV" writes); xlsx cells keep their types (numbers, dates).
    `max_rows` counts the rows under the header.
    """
    if not data:
        raise UploadError("The file is empty. Choose a file with a header row.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
            "Split it into smaller files."
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        kind = "xlsx"
    elif name.endswith((".csv", ".txt")) or not name:
        kind = "csv"
    else:
        kind = ""
    if kind not in kinds:
        wanted = " or ".join(f".{k}" for k in kinds)
        raise UploadError(f"Choose a {wanted} file. Other file types cannot be read.")
    limit = _RowLimit(max_rows, max_seconds)
    if kind == "xlsx":
        return _read_xlsx(data, limit)
    return _read_csv(data, limit)


class _RowLimit:
    """Counts rows as they stream past and stops a file that is too long or too slow."""

    def __init__(self, max_rows: int, max_seconds: float) -> None:
        self.max_rows = max_rows
        self.deadline = time.monotonic() + max_seconds
        self.rows: list[tuple[int, list[object]]] = []

    def add(self, number: int, cells: list[object]) -> None:
        if not any(cell not in (None, "") for cell in cells):
            return
        if len(self.rows) > self.max_rows:  # the header plus max_rows rows are allowed
            raise UploadError(
                f"The file has more than {self.max_rows:,} rows. Import at most "
                f"{self.max_rows:,} at once."
            )
        if time.monotonic() > self.deadline:
            raise UploadError("The file took too long to read. Split it into smaller files.")
        self.rows.append((number, cells))


def _check_zip(data: bytes) -> None:
    """Refuse a workbook whose parts would unzip to too much, before openpyxl opens it.

    The sizes come from the zip's directory; Python's zipfile never inflates a part beyond
    its stated size (it fails the CRC check instead), so a lying directory cannot help.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadError(UNREADABLE_XLSX) from None
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_EXPANDED_BYTES:
        raise UploadError(TOO_LARGE)


def _check_cells(data: bytes, max_cells: int) -> None:
    """Count the cells of every sheet, and the shared strings, with a byte scan (fast)
    before openpyxl parses them one by one (slow): a single row of half a million cells
    would hold a worker for minutes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.infolist():
            if part.filename.startswith("xl/worksheets/"):
                tag = _CELL_TAG
            elif part.filename == "xl/sharedStrings.xml":
                tag = _STRING_TAG
            else:
                continue
            cells, tail = 0, b""
            with archive.open(part) as stream:
                while chunk := stream.read(1024 * 1024):
                    block = tail + chunk
                    # A tag starting at the last "<" may be cut off: count it next time.
                    cut = max(block.rfind(b"<"), 0)
                    cells += len(tag.findall(block, 0, cut))
                    tail = block[cut:]
                    if cells > max_cells:
                        raise UploadError(TOO_LARGE)
            cells += len(tag.findall(tail))
            if cells > max_cells:
                raise UploadError(TOO_LARGE)


def _read_xlsx(data: bytes, limit: _RowLimit) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook  # the writer above never needs the reader

    _check_zip(data)
    try:
        _check_cells(data, (limit.max_rows + 1) * CELLS_PER_ROW)
    except UploadError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadError(UNREADABLE_XLSX) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise UploadError(UNREADABLE_XLSX) from None
    try:
        if not book.worksheets:
            raise UploadError("The workbook has no sheets. Put the rows on its first sheet.")
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, row in enumerate(rows, start=1):
            cells = [_clean_cell(v) for v in row]
            while cells and cells[-1] is None:  # max_col pads every row to MAX_COLUMNS
                cells.pop()
            limit.add(number, cells)
    except UploadError:
        raise
    except Exception:  # noqa: BLE001 - a malformed sheet fails part-way through the rows
        raise UploadError(
            "The first sheet of the workbook is damaged and could not be read. "
            "Save it again as .xlsx and try again."
        ) from None
    finally:
        book.close()
    return limit.rows


def _clean_cell(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UploadError("The file's text could not be read. Save it as CSV UTF-8.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes, limit: _RowLimit) -> list[tuple[int, list[object]]]:
    text = decode_text(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in much of Europe writes semicolons; a few tools write tabs.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            limit.add(number, [clean_text(cell) for cell in row[:MAX_COLUMNS]])
    except csv.Error:
        raise UploadError("The CSV file could not be read: check its quotes and columns.") from None
    return limit.rows
