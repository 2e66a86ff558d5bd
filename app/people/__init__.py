"""People: stakeholders, the project team and the groups they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

# Nested under the site blueprint (app/blueprints.py): every route is /sites/<id>/...
bp = Blueprint("people", __name__)

from app.people import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.people.coverage import coverage_summary
    from app.people.demo import bench_people, demo_people

    registry.add_panel("people/_overview_panel.html", coverage_summary, order=20)
    registry.add_demo(demo_people, bench_people, order=10)
