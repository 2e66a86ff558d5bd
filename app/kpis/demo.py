"""Demo and benchmark KPI values: 24 months per site, shaped like real FLS-DB figures.

Meadowbank improves follow-up (KPI 9) from about 45% to about 75% after a change a year
ago: a clear shift on its run chart. Glenmoor's spine identification (KPI 3) creeps up;
Afon Valley's figures only vary by chance.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from sqlalchemy import insert

from app.extensions import db
from app.kpis.models import KpiTarget, KpiValue
from app.kpis.periods import months_back
from app.toolkit import get_toolkit

if TYPE_CHECKING:
    from app.sites.demo import BenchContext, DemoContext
    from app.sites.models import Site

MONTHS = 24


def _monthly_caseload(site: Site) -> int:
    """Expected fragility fractures a month: roughly 0.5% of the over-50s a year."""
    return max(20, round((site.population_50_plus or 150_000) * 0.005 / 12))


def _add_series(
    site: Site,
    rng: random.Random,
    baselines: dict[int, float],
    changes: dict[int, tuple[int, float]],
    drifts: dict[int, float],
    months: int = MONTHS,
    today=None,  # noqa: ANN001 - a date
) -> list[dict]:
    """Rows for one site: for each KPI a rate per month, with binomial-like noise."""
    caseload = _monthly_caseload(site)
    rows = []
    for index, period in enumerate(months_back(today, months)):
        identified = max(5, round(caseload * (baselines.get(2, 50) / 100) * rng.uniform(0.9, 1.1)))
        for kpi in get_toolkit().kpis:
            rate = baselines.get(kpi.number, kpi.national_2021) + drifts.get(kpi.number, 0) * index
            step_at, step = changes.get(kpi.number, (months + 1, 0.0))
            if index >= step_at:
                rate += step
            rate = min(98.0, max(1.0, rate + rng.gauss(0, 3.5)))
            # KPIs 2 and 3 are measured against the expected caseload; the rest against
            # the patients the service saw that month.
            denominator = caseload if kpi.number in (2, 3) else identified
            numerator = min(denominator, round(denominator * rate / 100))
            rows.append(
                {
                    "site_id": site.id,
                    "kpi_number": kpi.number,
                    "period_kind": "month",
                    "period_start": period.start,
                    "numerator": numerator,
                    "denominator": denominator,
                    "version": 1,
                }
            )
    return rows


DEMO_SHAPES = {
    # site key: (baselines, step changes {kpi: (month index, points)}, drift per month)
    "meadowbank": (
        {2: 58, 4: 70, 6: 62, 7: 55, 9: 45, 10: 30, 11: 22},
        {9: (12, 30.0), 10: (14, 12.0)},
        {},
    ),
    "glenmoor": ({2: 47, 3: 18, 4: 66, 9: 50}, {}, {3: 0.9}),
    "afon": ({2: 40, 4: 64, 5: 30, 7: 54}, {}, {}),
}


def seed_demo_kpis(ctx: DemoContext) -> None:
    for key, (baselines, changes, drifts) in DEMO_SHAPES.items():
        site = ctx.sites[key]
        rows = _add_series(site, ctx.rng, baselines, changes, drifts, today=ctx.today)
        db.session.execute(insert(KpiValue.__table__).returning(KpiValue.__table__.c.id), rows)
    db.session.add(KpiTarget(site_id=ctx.sites["meadowbank"].id, kpi_number=4, target=85))
    db.session.add(KpiTarget(site_id=ctx.sites["glenmoor"].id, kpi_number=3, target=40))
    db.session.flush()


def bench_kpis(ctx: BenchContext) -> None:
    baselines = {k.number: k.national_2021 + ctx.rng.uniform(-10, 10) for k in get_toolkit().kpis}
    rows = _add_series(ctx.site, ctx.rng, baselines, {}, {}, today=ctx.today)
    # RETURNING: one statement of many rows ("insertmanyvalues"), not one a row, so the
    # site's delivery share is marked out of date once
    db.session.execute(insert(KpiValue.__table__).returning(KpiValue.__table__.c.id), rows)
