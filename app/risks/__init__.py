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
    _history_words(registry)


def _history_words(registry: Registry) -> None:
    from app.core.history_words import NameSource
    from app.risks.models import ALL_STATUSES, KINDS, SEVERITIES, RaidEntry

    registry.history.add(
        objects={"raid_entry": "Risk log entry", "raid_mitigation": "Mitigation"},
        fields={
            "entry_id": "Risk log entry",
            "agreed_meeting_id": "Agreed by the steering group at",
            "changed_since_agreed_at": "Changed since the steering group agreed it",
        },
        vocabularies={
            ("raid_entry", "status"): ALL_STATUSES,
            ("raid_entry", "kind"): KINDS,
            ("raid_entry", "severity"): SEVERITIES,
        },
        ids={"entry_id": "entry", "agreed_meeting_id": "meeting"},
    )
    registry.history.add_names(
        "entry", NameSource(RaidEntry, RaidEntry.title, "a deleted risk log entry")
    )
