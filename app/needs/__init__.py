"""Needs and benefits (Phase 3): population, caseload, staffing and fractures prevented."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("needs", __name__)

from app.needs import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.needs.demo import bench_needs, demo_needs
    from app.needs.panel import overview_facts, overview_panel
    from app.needs.queries import needs_entered, needs_entered_facts

    registry.add_panel("needs/_overview_panel.html", overview_panel, order=50, facts=overview_facts)
    registry.add_gateway_check(
        "needs_entered", needs_entered, "sites.needs.index", facts=needs_entered_facts
    )
    registry.add_demo(demo_needs, bench_needs, order=50)
    registry.history.add(
        objects={"needs": "Needs figures"},
        fields={"population_50_plus": "Population aged 50 and over"},
        # Stored labels read "needs figures version #<row id>: <note>"; the row id means
        # nothing to a reader, so a version reads by the note saved with it.
        labels={"needs": _needs_label},
    )


def _needs_label(label: str) -> str:
    head, sep, note = label.partition(": ")
    return note if sep and head.startswith("needs figures version #") else label
