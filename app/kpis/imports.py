"""Reading KPI values from a CSV or xlsx file (the columns FLS-DB exports give), and the
xlsx export, which uses the same columns so it can be imported again."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from app.kpis.periods import parse_period
from app.kpis.service import KpiSeries, Problem, ValueRow, period_of
from app.toolkit import get_toolkit

COLUMNS = {
    "kpi": ("kpi", "kpi number", "indicator", "kpi name"),
    "period": ("period", "month", "quarter"),
    "numerator": ("numerator", "num"),
    "denominator": ("denominator", "den", "denom"),
}
MAX_ROWS = 5000


class FileUnreadable(ValueError):
    pass


def kpi_number_for(text: object) -> int | None:
    """The KPI a cell names: 4, 'KPI 4', 'kpi4', its key, name or short name."""
    value = str(text if text is not None else "").strip()
    if isinstance(text, float) and text.is_integer():
        value = str(int(text))
    match = re.fullmatch(r"(?:kpi\s*)?(\d{1,2})(?:\s*[:\-–].*)?", value, re.I)
    toolkit = get_toolkit()
    if match and int(match.group(1)) in toolkit.kpis_by_number:
        return int(match.group(1))
    lowered = value.lower()
    for kpi in toolkit.kpis:
        if lowered in (kpi.key, kpi.name.lower(), kpi.short_name.lower(), kpi.label.lower()):
            return kpi.number
    return None


def _table(filename: str, data: bytes) -> list[list[object]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise FileUnreadable(
                "The file could not be read as an Excel .xlsx workbook."
            ) from error
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        return [list(row) for row in csv.reader(io.StringIO(text))]
    raise FileUnreadable("Choose a .csv or .xlsx file.")


def _whole(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value if value is not None else "").strip().replace(",", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise ValueError(text)


def read_rows(filename: str, data: bytes) -> tuple[list[ValueRow], list[Problem]]:
    """Every row read and checked for shape; row numbers are the spreadsheet's own."""
    table = [row for row in _table(filename, data)]
    while table and not any(cell not in (None, "") for cell in table[0]):
        table.pop(0)
    if not table:
        raise FileUnreadable("The file is empty.")
    header = [str(cell or "").strip().lower() for cell in table[0]]
    positions = {}
    for column, names in COLUMNS.items():
        found = next((i for i, h in enumerate(header) if h in names), None)
        if found is None:
            raise FileUnreadable(
                f"The first row must name the columns KPI, period, numerator and denominator "
                f"(no '{column}' column found)."
            )
        positions[column] = found
    if len(table) - 1 > MAX_ROWS:
        raise FileUnreadable(f"The file has more than {MAX_ROWS} rows; split it up.")
    rows, problems = [], []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue
        cells = [*cells, *([None] * len(header))]
        where = f"Row {number}"
        raw = {column: cells[position] for column, position in positions.items()}
        kpi = kpi_number_for(raw["kpi"])
        row_problems = []
        if kpi is None:
            row_problems.append(f"unknown KPI '{str(raw['kpi'] or '')[:40]}' (use 1 to 11)")
        try:
            period = parse_period(raw["period"])
        except ValueError as error:
            row_problems.append(str(error).rstrip("."))
            period = None
        counts = []
        for column in ("numerator", "denominator"):
            try:
                counts.append(_whole(raw[column]))
            except ValueError:
                row_problems.append(f"the {column} must be a whole number")
                counts.append(None)
        if row_problems:
            problems.append(Problem(f"{where}: " + "; ".join(row_problems) + ".", where))
            continue
        rows.append(ValueRow(kpi, period, counts[0], counts[1], where=where))
    return rows, problems


def rows_to_json(rows: Iterable[ValueRow]) -> list[list]:
    return [[r.kpi_number, r.period.key, r.numerator, r.denominator, r.where] for r in rows]


def rows_from_json(items: list[list]) -> list[ValueRow]:
    return [
        ValueRow(int(k), parse_period(p), int(n), int(d), where=str(w)) for k, p, n, d, w in items
    ]


def export_workbook(series: list[KpiSeries], site_name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "KPI values"
    sheet.append(["KPI", "Period", "Numerator", "Denominator", "Percentage", "KPI name", "Target"])
    for item in series:
        for value in item.values:
            sheet.append(
                [
                    item.kpi.number,
                    # A month as a real date (it imports again as that month); a quarter
                    # keeps its "2025-Q1" key, which a date could not say.
                    period_of(value).key if value.period_kind == "quarter" else value.period_start,
                    value.numerator,
                    value.denominator,
                    round(value.percent, 1),
                    item.kpi.name,
                    item.target,
                ]
            )
    for cell in sheet["B"][1:]:
        cell.number_format = "MMM YYYY"
    for index, width in enumerate((6, 10, 12, 13, 12, 48, 8), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    about = book.create_sheet("About")
    about.append(["Site", site_name])
    about.append(["Percentage", "Worked out as numerator ÷ denominator × 100."])
    about.append(["Re-import", "This sheet's first four columns can be imported again."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
