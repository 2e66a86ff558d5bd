"""The RAID log: risks (scored), issues, assumptions, dependencies and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

# Nested under the site blueprint (app/blueprints.py), so every route is behind the site guard.
bp = Blueprint("risks", __name__)

from app.risks import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.risks.demo import bench_risks, demo_risks
    from app.risks.models import RaidEntry
    from app.risks.queries import overview_facts, overview_panel

    registry.add_panel("risks/_overview_panel.html", overview_panel, order=40, facts=overview_facts)
    registry.add_demo(demo_risks, bench_risks, order=40)
    registry.owned_records.append(("Log entry", RaidEntry, "title"))
