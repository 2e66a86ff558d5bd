"""Reading KPI values from an uploaded CSV or xlsx file (the columns FLS-DB exports give).
The export (app/kpis/export.py) writes the same columns, so it can be imported again."""

from __future__ import annotations

import re

from app.core.spreadsheet import unescape
from app.core.spreadsheet_reader import UploadError, read_upload
from app.kpis.periods import parse_period
from app.kpis.service import Problem, ValueRow
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


def _table(filename: str, data: bytes) -> list[tuple[int, list[object]]]:
    """Non-empty rows with their row numbers in the file; the export's apostrophes undone."""
    try:
        rows = read_upload(filename, data, max_rows=MAX_ROWS)
    except UploadError as error:
        raise FileUnreadable(error.message) from None
    return [(n, [unescape(c) if isinstance(c, str) else c for c in cells]) for n, cells in rows]


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
    table = _table(filename, data)
    if not table:
        raise FileUnreadable("The file is empty.")
    header = [str(cell or "").strip().lower() for cell in table[0][1]]
    positions = {}
    for column, names in COLUMNS.items():
        found = next((i for i, h in enumerate(header) if h in names), None)
        if found is None:
            raise FileUnreadable(
                f"The first row must name the columns KPI, period, numerator and denominator "
                f"(no '{column}' column found)."
            )
        positions[column] = found
    rows, problems = [], []
    for number, cells in table[1:]:
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
