"""The delivery page under /sites/<id>/delivery: a thin route over queries and service."""

from __future__ import annotations

from flask import g, render_template

from app.core.dates import today
from app.delivery import bp, queries, service
from app.delivery.chart import delivery_chart


@bp.get("/delivery")
def index():
    promises = queries.latest_promise(g.site.id)
    since = service.first_start(promises)
    counts = queries.kpi_counts(g.site.id, service.measured_kpis(promises), since) if since else []
    rows = service.deliveries(promises, counts, today())
    charts = {row.key: delivery_chart(row) for row in rows if row.quarters}
    return render_template(
        "delivery/index.html",
        rows=rows,
        charts=charts,
        agreed_on=promises[0].agreed_on if promises else None,
        any_data=any(row.with_data for row in rows),
    )
