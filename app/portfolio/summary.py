"""The portfolio summary (counts, charts, attention, headline figures), for the portfolio
page and the support staff's home page."""

from __future__ import annotations

from flask import current_app

from app.core.dates import today
from app.portfolio import listing, queries, service
from app.portfolio.charts import NO_PLAN_FILL, RAG_FILLS, bar_chart
from app.toolkit import get_toolkit


def phase_names() -> dict[int, str]:
    toolkit = get_toolkit()
    return {p: toolkit.phase(p).name for p in service.PHASES}


def first_page(user_id: int) -> listing.Portfolio:
    """Every site's summary with the first page of sites in the portfolio's order (worst
    first, by need): one statement (the support staff's home page)."""
    stale_days = current_app.config["STALE_SITE_DAYS"]
    filters = queries.Filters(view="all")
    return listing.portfolio_view(user_id, today(), stale_days, filters, [], phase_names())


def summary_context(summary: queries.Summary) -> dict:
    """The summary block (also shown on the home page): counts, charts, headline figures."""
    charts = {
        "status": bar_chart(
            "chart-status",
            "Sites by service status",
            [(label, n, None) for _k, label, n in summary.by_status],
        ),
        "phase": bar_chart(
            "chart-phase",
            "Sites by current phase",
            [(f"{p}. {name}", n, None) for p, name, n in summary.by_phase],
        ),
        "rag": bar_chart(
            "chart-rag",
            "Sites by overall status",
            [(label, n, RAG_FILLS.get(k or "", NO_PLAN_FILL)) for k, label, n in summary.by_rag],
        ),
    }
    return {"summary": summary, "charts": charts}
