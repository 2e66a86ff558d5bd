"""The overview's gateway card: where the current phase's gateway stands, and any review
waiting for the sponsor (so nobody has to open the gateways page to find out).

No statement of its own: each phase's status, when review was last asked for, and the
readiness counts of every phase are facts the overview reads with the other panels'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.gateways.models import GATEWAY_STATUSES, SIGNED
from app.gateways.queries import phase_facts
from app.gateways.readiness import PHASES, summaries_from, summary_facts
from app.sites.models import Site
from app.toolkit import get_toolkit


@dataclass
class Waiting:
    phase: int
    name: str
    since: datetime | None


def overview_facts(site_id: int) -> dict[str, Any]:
    return {**summary_facts(site_id, PHASES), **phase_facts(site_id, ["review_requested"])}


def overview_panel(site: Site, facts: dict[str, Any]) -> dict:
    found = {p: facts[f"gateway_{p}_status"] or "not_ready" for p in PHASES}
    current = next((p for p in PHASES if found[p] not in SIGNED), None)
    toolkit = get_toolkit()
    waiting = [
        Waiting(p, toolkit.phase(p).name, facts[f"gateway_{p}_at"])
        for p in PHASES
        if found[p] == "review_requested"
    ]
    return {
        "current": current,
        "current_name": toolkit.phase(current).name if current else "",
        "status": found[current] if current else "signed_off",
        "status_name": GATEWAY_STATUSES[found[current]] if current else "All signed off",
        "readiness": summaries_from(site, PHASES, facts)[current] if current else None,
        "waiting": waiting,
    }
