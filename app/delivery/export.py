"""The delivery table in the KPI workbook (kpis.xlsx): each promise against the audit,
quarter by quarter, as the delivery page shows it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from openpyxl import Workbook

from app.core import spreadsheet as sheets
from app.delivery.facts import deliveries_from

COLUMNS = [
    ("Promise", 40), ("KPI", 6), ("Quarter", 16), ("Period of the case", 18), ("Actual", 9),
    ("Promised", 10), ("Gap (patients short)", 14), ("Fractures not prevented", 14),
]  # fmt: skip


def delivery_sheet(book: Workbook, values: Mapping[str, Any], today: date) -> None:
    """The 'Delivery' sheet (none when no business case has been agreed)."""
    rows = []
    for delivery in deliveries_from(values, today):
        for q in delivery.quarters:
            rows.append(
                [
                    delivery.measure.label,
                    delivery.measure.kpi,
                    q.period.label + (" (so far)" if q.partial else ""),
                    q.period_name,
                    q.numerator if q.has_data else "No data",
                    round(q.promised),
                    max(round(q.gap), 0) if q.gap is not None else None,
                    round(q.fractures, 1) if q.missed and q.fractures is not None else None,
                ]
            )
    if rows:
        sheets.add_table_sheet(book, "Delivery", COLUMNS, rows)
