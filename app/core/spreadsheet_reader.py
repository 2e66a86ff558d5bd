"""The one reader for uploaded CSV and xlsx files (the plan, people and KPI imports).

Hard limits (file size, size once unzipped, cells, row numbers, seconds) are checked before
or while reading, never after everything is in memory: an xlsx's parts are scanned as bytes
for cells and row numbers before openpyxl parses a cell, and every row's number (empty rows
too) is checked as it streams past. Whatever is wrong with a file, `read_upload` raises
`UploadError` with a sentence for the person who uploaded it; views answer that with 422.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile

from app.core.cleantext import clean_text
from app.core.errors import ServiceError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the file as uploaded
MAX_EXPANDED_BYTES = 25 * 1024 * 1024  # an xlsx's parts once unzipped (a zip bomb's tell)
MAX_PARTS = 1000
MAX_COLUMNS = 60  # no import reads more than this many columns of a row
CELLS_PER_ROW = 30  # cells allowed per allowed row, counted before openpyxl parses anything
# Blank rows and title lines allowed besides the data rows: a row numbered beyond
# max_rows + 1 + SPARE_ROWS is refused, whether or not it holds anything.
SPARE_ROWS = 1000
MAX_SECONDS = 20.0  # the last resort: the limits above stop hostile files long before
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")  # <c ...> or <x:c ...>, not <col> or <cfRule>
_STRING_TAG = re.compile(rb"<(?:\w+:)?si[\s/>]")  # one shared string (openpyxl loads them all)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row(?=[\s/>])([^>]*)>")  # its attributes
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
UNREADABLE_XLSX = "The Excel file could not be read. Save it again as .xlsx and try again."
TOO_LARGE = (
    "The workbook is too large once opened. Remove unused sheets, rows, columns or "
    "formatting, or split it into smaller files."
)
TOO_SLOW = "The file took too long to read. Split it into smaller files."


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
    `max_rows` counts the rows under the header; no row may be numbered beyond
    `max_rows + 1 + SPARE_ROWS`, checked for every row (empty ones too) before its cells
    are read, so a sheet cannot make the reader walk through millions of empty rows.
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
    """The limits of one read: rows kept, the last row number allowed, and the clock."""

    def __init__(self, max_rows: int, max_seconds: float) -> None:
        self.max_rows = max_rows
        self.last_row = max_rows + 1 + SPARE_ROWS
        self.deadline = time.monotonic() + max_seconds
        self.rows: list[tuple[int, list[object]]] = []

    def check_number(self, number: int) -> None:
        """Refuse a row numbered past the limit (empty or not) and a read out of time."""
        if number > self.last_row:
            raise UploadError(
                f"The file has rows down to row {number:,}. An import reads rows 1 to "
                f"{self.last_row:,} only (at most {self.max_rows:,} rows under the header): "
                "delete the rows below your data (on every sheet), or split the file, "
                "and try again."
            )
        self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise UploadError(TOO_SLOW)

    def add(self, number: int, cells: list[object]) -> None:
        self.check_number(number)
        if not any(cell not in (None, "") for cell in cells):
            return
        if len(self.rows) > self.max_rows:  # the header plus max_rows rows are allowed
            raise UploadError(
                f"The file has more than {self.max_rows:,} rows. Import at most "
                f"{self.max_rows:,} at once."
            )
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


class _PartScan:
    """Counts from a part's bytes what openpyxl would otherwise parse one by one: a sheet's
    cells and its rows' numbers (as openpyxl numbers them: a row's `r`, else one more than
    the row before), or the shared strings (which openpyxl loads all at once)."""

    def __init__(self, limit: _RowLimit, max_items: int, *, sheet: bool) -> None:
        self.limit, self.max_items, self.sheet = limit, max_items, sheet
        self.tag = _CELL_TAG if sheet else _STRING_TAG
        self.items = self.row = 0

    def scan(self, block: bytes, end: int) -> None:
        """Count the whole tags in `block[:end]`."""
        self.items += len(self.tag.findall(block, 0, end))
        if self.items > self.max_items:
            raise UploadError(TOO_LARGE)
        if not self.sheet:
            return
        for row in _ROW_TAG.finditer(block, 0, end):
            found = _ROW_NUMBER.search(row.group(1))
            if found is None:
                self.row += 1
            else:
                number = (found.group(1) or found.group(2) or b"").strip()
                if not number.isdigit():  # openpyxl would read "1e7" or "&#49;0" as numbers
                    raise UploadError(UNREADABLE_XLSX)
                self.row = int(number)
            self.limit.check_number(self.row)


def _check_parts(data: bytes, limit: _RowLimit) -> None:
    """Count every sheet's cells and row numbers, and the shared strings, with a byte scan
    (fast) before openpyxl parses them one by one (slow): a single row of half a million
    cells, or one row numbered 10,000,000, would hold a worker for minutes."""
    max_items = (limit.max_rows + 1) * CELLS_PER_ROW
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.infolist():
            if part.filename.startswith("xl/worksheets/"):
                counter = _PartScan(limit, max_items, sheet=True)
            elif part.filename == "xl/sharedStrings.xml":
                counter = _PartScan(limit, max_items, sheet=False)
            else:
                continue
            tail = b""
            with archive.open(part) as stream:
                while chunk := stream.read(1024 * 1024):
                    block = tail + chunk
                    # A tag starting at the last "<" may be cut off: count it next time.
                    cut = max(block.rfind(b"<"), 0)
                    counter.scan(block, cut)
                    tail = block[cut:]
                    limit.check_time()
            counter.scan(tail, len(tail))


def _read_xlsx(data: bytes, limit: _RowLimit) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook  # the writer above never needs the reader

    _check_zip(data)
    try:
        _check_parts(data, limit)
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
        if sheet.max_row is not None:  # the sheet's declared dimension (None if it has none)
            limit.check_number(sheet.max_row)
        # max_row stops openpyxl too: it fills gaps between rows with empty ones.
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=limit.last_row)
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
