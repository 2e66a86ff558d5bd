"""The portfolio's delivery column reads a site's measured KPI values by KPI and date (#34).

At 1,000 sites on PostgreSQL the portfolio's statement spent about a quarter of its 217 ms
here: with an index on kpi_values.site_id alone beside the unique (site_id, kpi_number,
period_start), PostgreSQL read every KPI value of each site (264 a site) and filtered them.
Migration 0044 dropped the redundant index; this test asks PostgreSQL for the column's
plan, as it would plan on a large database, and fails when the index read of kpi_values
is bounded by the site alone (not by the KPI numbers or the dates). PostgreSQL only
(TEST_DATABASE_URL); skipped on SQLite.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.delivery.facts import delivery_column
from app.demo import seed_bench
from app.extensions import db
from app.sites.models import Site


def _kpi_reads(plan: dict) -> list[dict]:
    found = [plan] if plan.get("Relation Name") == "kpi_values" else []
    for child in plan.get("Plans", []):
        found += _kpi_reads(child)
    return found


def test_the_delivery_column_reads_a_site_s_values_by_kpi_or_date_not_all(app) -> None:  # noqa: ANN001
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL plans only (TEST_DATABASE_URL)")
    seed_bench(3, 12)
    db.session.commit()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    statement = select(Site.id, delivery_column(Site.id).label("delivery"))
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")  # as a large database plans
        compiled = statement.compile(connection, compile_kwargs={"render_postcompile": True})
        plan = connection.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params
        ).scalar()[0]["Plan"]
        connection.rollback()
    reads = _kpi_reads(plan)
    assert reads, "the delivery column no longer reads kpi_values"
    for read in reads:  # an index scan's condition, or a bitmap heap scan's
        bound = read.get("Index Cond") or read.get("Recheck Cond") or ""
        bounded = "kpi_number" in bound or "period_start" in bound
        assert bounded, f"{read['Node Type']} {read.get('Index Name', '')} {bound}"
