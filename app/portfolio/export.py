"""The portfolio as a spreadsheet: the page's columns, RAG cells filled, formulas defused."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.core.dates import to_london
from app.portfolio.service import PortfolioRow

# Text starting with these is run as a formula by spreadsheet programs (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RAG_FILLS = {"red": "F4B6B0", "amber": "FFE08A", "green": "A8D5B5", "complete": "B3D1ED"}

COLUMNS = [
    ("Site", 34),
    ("Organisation", 40),
    ("Nation", 16),
    ("Region", 24),
    ("Status", 14),
    ("Current phase", 24),
    ("RAG", 10),
    ("Essential tasks done", 12),
    ("Essential tasks applicable", 12),
    ("Overdue tasks", 10),
    ("Last gateway signed off", 12),
    ("Signed off on", 14),
    ("Review waiting", 12),
    ("Next meeting", 18),
    ("Days since last change", 12),
    ("Stale", 8),
    ("Lead contact", 26),
    ("Lead email", 30),
    ("Lead phone", 16),
    ("Overall status", 14),
    ("Schedule", 12),
    ("Risks", 12),
    ("Engagement", 12),
    ("Data", 12),
]
RAG_COLUMN = 7


def safe_text(value: str | None) -> str:
    """Text as the spreadsheet should show it, never as a formula it would run."""
    text = value or ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _naive_london(moment):  # noqa: ANN001, ANN202 - datetime or None
    local = to_london(moment)
    return local.replace(tzinfo=None) if local else None


def _row(r: PortfolioRow, phase_names: dict[int, str]) -> list:
    return [
        safe_text(r.name),
        safe_text(r.organisation),
        r.nation,
        safe_text(r.region),
        r.status_name,
        f"{r.phase}. {phase_names.get(r.phase, '')}",
        r.rag_name,
        r.essential_done,
        r.essential_applicable,
        r.overdue,
        r.last_signoff_phase,
        _naive_london(r.last_signoff_at).date() if r.last_signoff_at else None,
        f"Phase {r.review_phase}" if r.review_phase else "",
        _naive_london(r.next_meeting),
        r.days_since_change,
        "Yes" if r.stale else "No",
        safe_text(r.lead_name),
        safe_text(r.lead_email),
        safe_text(r.lead_phone),
        r.overall_name,
        *(rating.name for rating in r.ratings.values()),
    ]


def portfolio_workbook(rows: list[PortfolioRow], phase_names: dict[int, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Portfolio"
    sheet.append([name for name, _width in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for r in rows:
        sheet.append(_row(r, phase_names))
        if r.rag in RAG_FILLS:
            fill = RAG_FILLS[r.rag]
            sheet.cell(row=sheet.max_row, column=RAG_COLUMN).fill = PatternFill(
                "solid", start_color=fill, end_color=fill
            )
    for cell in sheet["L"][1:]:
        cell.number_format = "DD/MM/YYYY"
    for cell in sheet["N"][1:]:
        cell.number_format = "DD/MM/YYYY HH:MM"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
