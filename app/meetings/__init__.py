"""Meetings: calendar, agendas, attendance, minutes, the action log and calendar files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("meetings", __name__)

from app.meetings import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.meetings.demo import bench_meetings, seed_meetings
    from app.meetings.models import Action
    from app.meetings.queries import (
        overview_facts,
        overview_panel,
        reference_group_minutes_issued,
    )

    registry.add_panel(
        "meetings/_overview_panel.html", overview_panel, order=30, facts=overview_facts
    )
    registry.add_gateway_check(
        "reference_group_minutes_issued", reference_group_minutes_issued, "sites.meetings.index"
    )
    registry.add_demo(seed_meetings, bench_meetings, order=30)
    registry.owned_records.append(("Action", Action, "description"))
