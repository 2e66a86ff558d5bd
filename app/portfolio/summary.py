"""The portfolio summary (counts, charts, attention, headline figures), for the portfolio
page and the support staff's home page."""

from __future__ import annotations

from flask import current_app

from app.core.dates import today
from app.portfolio import queries, service
from app.portfolio.charts import NO_PLAN_FILL, RAG_FILLS, bar_chart
from app.toolkit import get_toolkit


def rows_for(user_id: int) -> list[service.PortfolioRow]:
    return service.portfolio_rows(user_id, today(), current_app.config["STALE_SITE_DAYS"])


def phase_names() -> dict[int, str]:
    toolkit = get_toolkit()
    return {p: toolkit.phase(p).name for p in service.PHASES}


def summary_context(rows: list[service.PortfolioRow]) -> dict:
    """The summary block (also shown on the home page): counts, charts, headline figures."""
    names = phase_names()
    summary = queries.summarise(rows, names, current_app.config["STALE_SITE_DAYS"])
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
