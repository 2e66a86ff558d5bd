"""The portfolio as a spreadsheet: the page's columns, RAG cells filled, formulas defused,
one row per site with its overall status."""

from __future__ import annotations

from app.core import spreadsheet as sheets
from app.core.dates import to_london
from app.delivery.facts import NO_SHARE
from app.portfolio.service import PortfolioRow
from app.toolkit.vocabulary import RAG_STATUSES

RAG_FILLS = {status.key: status.pale for status in RAG_STATUSES}

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
    ("Delivering its case (%)", 12),
    ("Delivered against the promise", 44),
]
RAG_COLUMN = 7


def _naive_london(moment):  # noqa: ANN001, ANN202 - datetime or None
    local = to_london(moment)
    return local.replace(tzinfo=None) if local else None


def _row(r: PortfolioRow, phase_names: dict[int, str]) -> list:
    return [
        r.name,
        r.organisation,
        r.nation,
        r.region,
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
        r.lead_name,
        r.lead_email,
        r.lead_phone,
        r.overall_name,
        *(rating.name for rating in r.ratings.values()),
        # the page's share and words (app.delivery.facts.DeliveryShare)
        r.delivery.percent if r.delivery else None,
        r.delivery.words if r.delivery else NO_SHARE,
    ]


def portfolio_workbook(rows: list[PortfolioRow], phase_names: dict[int, str]) -> bytes:
    """Streamed (openpyxl's write-only mode): each row goes out as it is made, so the time
    grows in step with the number of sites (a full workbook's cells and styles made 1,000
    sites cost 6.5 times 200)."""
    book = sheets.new_streamed_workbook("FLS portfolio")
    sheet = sheets.add_streamed_sheet(book, "Portfolio", COLUMNS)
    for r in rows:
        fills = {RAG_COLUMN: RAG_FILLS[r.rag]} if r.rag in RAG_FILLS else None
        sheets.streamed_row(sheet, _row(r, phase_names), fills)
    sheets.finish_streamed_sheet(sheet, len(COLUMNS), len(rows))
    return sheets.workbook_bytes(book)
