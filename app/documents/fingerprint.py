"""What the sponsor agreed, as a hash: a later change to the PID's content shows as
"changed since it was agreed" on the PID's first page and on the documents page."""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple
from typing import TYPE_CHECKING

from app.documents.models import NARRATIVE_LIMITS

if TYPE_CHECKING:
    from app.documents.pid import PidContent


def content_fingerprint(content: PidContent) -> str:
    """A hash of what the sponsor agrees to: the team's text, the team, the reference group,
    the figures, the phases' dates and milestones, and the risks. Left out: things that move
    by themselves (the meetings still to come, gateway decisions, the date printed)."""
    narrative = {name: content.text(name) for name in NARRATIVE_LIMITS}
    needs = content.needs
    parts = {
        "site": [content.site.name, content.site.organisation, content.site.population_50_plus],
        "narrative": narrative,
        "team": [astuple(row) for row in content.team],
        "categories": [astuple(row) for row in content.categories],
        "needs": [needs.caseload_display, needs.hip_display] if needs else None,
        "figures": [content.figures.patients_display, content.figures.prevented_words]
        if content.figures
        else None,
        "phases": [
            [row.number, str(row.start), str(row.end), [[t, str(d)] for t, d in row.milestones]]
            for row in content.phases
        ],
        "risks": [astuple(row) for row in content.risks],
    }
    canonical = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
