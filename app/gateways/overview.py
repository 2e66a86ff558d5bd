"""The overview's gateway panel: where the current phase's gateway stands, and any review
waiting for the sponsor (so nobody has to open the gateways page to find out).

Two statements: the gateway rows with their latest review request, then the current
phase's readiness counts (see readiness.summaries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.gateways.models import GATEWAY_STATUSES, SIGNED
from app.gateways.queries import statuses_and_requests
from app.gateways.readiness import PHASES, summaries
from app.sites.models import Site
from app.toolkit import get_toolkit


@dataclass
class Waiting:
    phase: int
    name: str
    since: datetime | None


def overview_panel(site: Site) -> dict:
    found, asked = statuses_and_requests(site)
    current = next((p for p in PHASES if found[p] not in SIGNED), None)
    toolkit = get_toolkit()
    waiting_phases = [p for p in PHASES if found[p] == "review_requested"]
    readiness = summaries(site, [current])[current] if current else None
    return {
        "current": current,
        "current_name": toolkit.phase(current).name if current else "",
        "status": found[current] if current else "signed_off",
        "status_name": GATEWAY_STATUSES[found[current]] if current else "All signed off",
        "readiness": readiness,
        "waiting": [Waiting(p, toolkit.phase(p).name, asked.get(p)) for p in waiting_phases],
    }
