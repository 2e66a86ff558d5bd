"""kpis.xlsx: every KPI value, in the columns the import reads, so the file imports again."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from openpyxl import Workbook

from app.core import spreadsheet as sheets
from app.kpis.queries import KpiSeries, period_of

COLUMNS = [("KPI", 6), ("Period", 10), ("Numerator", 12), ("Denominator", 13),
           ("Percentage", 12), ("KPI name", 48), ("Target", 8)]  # fmt: skip


def export_workbook(
    series: list[KpiSeries],
    site_name: str,
    extra_sheets: Sequence[Callable[[Workbook], None]] = (),
) -> bytes:
    """The values sheet, any sheets other features add (`extra_sheets`), then About."""
    rows = (
        [
            item.kpi.number,
            # A month as a real date (it imports again as that month); a quarter keeps its
            # "2025-Q1" key, which a date could not say.
            period_of(value).key if value.period_kind == "quarter" else value.period_start,
            value.numerator,
            value.denominator,
            round(value.percent, 1),
            item.kpi.name,
            item.target,
        ]
        for item in series
        for value in item.values
    )
    book = sheets.new_workbook(f"KPI values: {site_name}")
    sheet = sheets.add_table_sheet(book, "KPI values", COLUMNS, rows)
    for cell in sheet["B"][1:]:
        cell.number_format = "MMM YYYY"
    for add_sheet in extra_sheets:
        add_sheet(book)
    sheets.add_table_sheet(
        book,
        "About",
        [("Site", 14), (site_name, 60)],
        [
            ["Percentage", "Worked out as numerator ÷ denominator × 100."],
            ["Re-import", "This sheet's first four columns can be imported again."],
        ],
        freeze=None,
    )
    return sheets.workbook_bytes(book)
