"""What the sponsor agreed, as a hash: a later change to the PID's content shows as
"changed since it was agreed" on the PID's first page, on the documents page and in the
Start Out gateway's check.

The hash is of facts, not of a document: `load_agreed_content` reads just what it covers
(four statements), so the gateway check answers without loading or building the PID.
The PID's own content (`pid.PidContent`) has the same fields and hashes the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import astuple, dataclass
from datetime import date, datetime
from typing import Protocol

from app.documents import queries, raid
from app.documents.models import NARRATIVE_LIMITS, PidNarrative
from app.needs.figures import SiteFigures, figures_for
from app.sites.models import Site


class AgreedFields(Protocol):
    """What an agreement covers (both `AgreedContent` and `pid.PidContent` have it)."""

    site: Site
    narrative: PidNarrative | None
    team: list[queries.TeamRow]
    categories: list[queries.CategoryRow]
    needs: queries.NeedsRow | None
    phases: list[queries.PhaseRow]
    risks: list[raid.RiskRow]
    figures: SiteFigures | None


@dataclass
class AgreedContent:
    site: Site
    narrative: PidNarrative | None
    team: list[queries.TeamRow]
    categories: list[queries.CategoryRow]
    needs: queries.NeedsRow | None
    phases: list[queries.PhaseRow]
    risks: list[raid.RiskRow]
    figures: SiteFigures | None


def load_agreed_content(site: Site, today: date) -> AgreedContent:
    """Today's values of what an agreement covers, read as the PID reads them."""
    facts = queries.site_facts(site.id, today)
    team, categories, _gaps = queries.people_sections(site.id, site.organisation)
    return AgreedContent(
        site=site,
        narrative=facts.narrative,
        team=team,
        categories=categories,
        needs=facts.needs,
        phases=queries.phase_rows(queries.plan_columns(site.id)),
        risks=raid.key_risks(site.id),
        figures=figures_for(site, facts.figure_values or None),
    )


def content_fingerprint(content: AgreedFields) -> str:
    """A hash of what the sponsor agrees to: the team's text, the team, the reference group,
    the figures, the phases' dates and milestones, and the risks. Left out: things that move
    by themselves (the meetings still to come, gateway decisions, the date printed)."""
    narrative = {
        name: getattr(content.narrative, name, "") if content.narrative else ""
        for name in NARRATIVE_LIMITS
    }
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


def changed_since_agreed(
    agreed_hash: str | None,
    generated_at: datetime | None,
    narrative_updated_at: datetime | None,
    current_hash: Callable[[], str],
) -> bool:
    """Whether what the PID would say today differs from the version agreed: its stored
    fingerprint against today's (`current_hash()`, only asked for when there is one to
    compare). Versions agreed before fingerprints were kept compare the text's last edit."""
    if agreed_hash:
        return agreed_hash != current_hash()
    return (
        narrative_updated_at is not None
        and generated_at is not None
        and narrative_updated_at > generated_at
    )
