"""KPIs: the FLS-DB indicators per period, run charts, targets and the national picture."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("kpis", __name__)

from app.kpis import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.kpis.demo import bench_kpis, seed_demo_kpis
    from app.kpis.queries import (
        kpis_recorded,
        kpis_recorded_facts,
        kpis_tracked,
        kpis_tracked_facts,
        overview_facts,
        overview_panel,
    )

    registry.add_panel("kpis/_overview_panel.html", overview_panel, order=60, facts=overview_facts)
    registry.add_gateway_check(
        "kpis_recorded", kpis_recorded, "sites.kpis.index", facts=kpis_recorded_facts
    )
    registry.add_gateway_check(
        "kpis_tracked", kpis_tracked, "sites.kpis.index", facts=kpis_tracked_facts
    )
    registry.add_demo(seed_demo_kpis, bench_kpis, order=60)
    registry.history.add(
        objects={"kpi_value": "KPI value", "kpi_target": "KPI target"},
        fields={"kpi_number": "KPI"},
    )
