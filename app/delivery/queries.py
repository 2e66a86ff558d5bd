"""What the delivery page reads: the latest promise and the audit's counts since it began
(two statements at any number of periods)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.delivery.models import Promise
from app.extensions import db
from app.kpis.models import KpiValue


def latest_promise(site_id: int) -> list[Promise]:
    """The rows of the site's newest agreed promise (empty: no case agreed yet)."""
    newest = select(func.max(Promise.version)).where(Promise.site_id == site_id).scalar_subquery()
    return list(
        db.session.scalars(
            select(Promise)
            .where(Promise.site_id == site_id, Promise.version == newest)
            .order_by(Promise.id)
        )
    )


def kpi_counts(site_id: int, kpis: list[int], since: date) -> list[tuple[int, date, str, int, int]]:
    """(KPI, period start, month or quarter, numerator, denominator) of the given KPIs from
    `since`."""
    if not kpis:
        return []
    rows = db.session.execute(
        select(
            KpiValue.kpi_number,
            KpiValue.period_start,
            KpiValue.period_kind,
            KpiValue.numerator,
            KpiValue.denominator,
        )
        .where(
            KpiValue.site_id == site_id,
            KpiValue.kpi_number.in_(kpis),
            KpiValue.period_start >= since,
        )
        .order_by(KpiValue.period_start)
    )
    return [tuple(row) for row in rows]
