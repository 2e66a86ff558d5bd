"""The RAID log as a spreadsheet: band cells filled, header frozen, formulas defused."""

from __future__ import annotations

from datetime import date

from openpyxl.styles import PatternFill

from app.core import spreadsheet as sheets
from app.risks.models import SEVERITIES, RaidEntry
from app.risks.scoring import Band

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


def _band_name(band: Band | None) -> str:
    return band.name if band else ""


def _row(entry: RaidEntry, mitigations: str, on: date) -> list:
    return [
        entry.kind_name,
        entry.title,
        entry.description,
        entry.owner.name if entry.owner else "",
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
        mitigations if entry.kind in ("risk", "issue") else None,
        SEVERITIES.get(entry.severity or "", ""),
        entry.action,
        entry.decider,
        entry.decide_by,
        entry.outcome,
        entry.decided_on,
    ]


def entries_workbook(entries: list[tuple[RaidEntry, str]], on: date) -> bytes:
    """The log, one row an entry; each pair is (entry, its mitigation actions as text)."""
    book = sheets.new_workbook("RAID log")
    sheet = sheets.add_table_sheet(book, "RAID log", COLUMNS)
    band_index = {name: i for i, (name, _w) in enumerate(COLUMNS) if name in BAND_COLUMNS}
    for entry, mitigations in entries:
        row = sheets.append_row(sheet, _row(entry, mitigations, on))
        for name, index in band_index.items():
            band = entry.inherent_band if name == "Band before" else entry.residual_band
            if band:
                sheet.cell(row=row, column=index + 1).fill = PatternFill(
                    "solid", start_color=band.fill, end_color=band.fill
                )
    sheet.auto_filter.ref = sheet.dimensions
    return sheets.workbook_bytes(book)
