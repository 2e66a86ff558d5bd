"""The RAID log as a spreadsheet: band cells filled, header frozen, formulas defused."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.risks.models import SEVERITIES, RaidEntry
from app.risks.scoring import Band

# Text starting with these is run as a formula by spreadsheet programs (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    ("Kind", 12),
    ("Title", 40),
    ("Description", 50),
    ("Owner", 24),
    ("Phase", 8),
    ("Status", 11),
    ("Raised", 12),
    ("Next review", 12),
    ("Review overdue", 10),
    ("Likelihood before", 10),
    ("Impact before", 10),
    ("Score before", 10),
    ("Band before", 12),
    ("Likelihood after", 10),
    ("Impact after", 10),
    ("Score after", 10),
    ("Band after", 12),
    ("Mitigations", 50),
    ("Severity", 10),
    ("Action being taken", 40),
    ("Who decides", 24),
    ("Decision needed by", 12),
    ("Outcome", 40),
    ("Date decided", 12),
]
BAND_COLUMNS = {"Band before", "Band after"}


def safe_text(value: str | None) -> str:
    """Text as the spreadsheet should show it, never as a formula it would run."""
    text = value or ""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _band_name(band: Band | None) -> str:
    return band.name if band else ""


def _row(entry: RaidEntry, mitigations: str, on: date) -> list:
    return [
        entry.kind_name,
        safe_text(entry.title),
        safe_text(entry.description),
        safe_text(entry.owner.name if entry.owner else ""),
        entry.phase,
        entry.status_name,
        entry.raised_on,
        entry.review_on,
        "Yes" if entry.review_overdue(on) else "No",
        entry.likelihood,
        entry.impact,
        entry.inherent_score,
        _band_name(entry.inherent_band),
        entry.residual_likelihood,
        entry.residual_impact,
        entry.residual_score,
        _band_name(entry.residual_band),
        safe_text(mitigations) if entry.kind in ("risk", "issue") else None,
        SEVERITIES.get(entry.severity or "", ""),
        safe_text(entry.action),
        safe_text(entry.decider),
        entry.decide_by,
        safe_text(entry.outcome),
        entry.decided_on,
    ]


def entries_workbook(entries: list[tuple[RaidEntry, str]], on: date) -> bytes:
    """The log, one row an entry; each pair is (entry, its mitigation actions as text)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "RAID log"
    sheet.append([name for name, _width in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    band_index = {name: i for i, (name, _w) in enumerate(COLUMNS) if name in BAND_COLUMNS}
    for entry, mitigations in entries:
        sheet.append(_row(entry, mitigations, on))
        row = sheet.max_row
        for name, index in band_index.items():
            band = entry.inherent_band if name == "Band before" else entry.residual_band
            if band:
                sheet.cell(row=row, column=index + 1).fill = PatternFill(
                    "solid", start_color=band.fill, end_color=band.fill
                )
    for column in ("G", "H", "V", "X"):  # the date columns, shown the UK way
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
