"""Gateways: readiness checks at the end of each phase and the sponsor's sign-off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("gateways", __name__)

from app.gateways import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.gateways.checks import (
        champion_agreed,
        champion_facts,
        kpis_tracked,
        kpis_tracked_facts,
        plan_facts,
        plan_populated,
        team_roles_facts,
        team_roles_filled,
    )
    from app.gateways.demo import demo_gateways
    from app.gateways.overview import overview_panel
    from app.gateways.queries import current_phases

    registry.add_gateway_check("team_roles_filled", team_roles_filled, facts=team_roles_facts)
    registry.add_gateway_check("plan_populated", plan_populated, facts=plan_facts)
    registry.add_gateway_check("champion_agreed", champion_agreed, facts=champion_facts)
    registry.add_gateway_check("kpis_tracked", kpis_tracked, facts=kpis_tracked_facts)
    registry.current_phases = current_phases
    # first on the overview, full width: where the current gateway stands
    registry.add_panel("gateways/_overview_panel.html", overview_panel, order=5)
    # last: its demo sign-offs snapshot what the other features' demos created
    registry.add_demo(demo_gateways, order=80)
