"""The risk log as the documents print it: each entry's mitigation and its owner, wherever
the app records them. A fixed number of queries, whatever the size of the log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from app.core.dates import uk_date
from app.extensions import db
from app.people.models import Person
from app.plan.models import Task
from app.risks import queries as risk_queries
from app.risks.models import SEVERITIES, Mitigation, RaidEntry


@dataclass
class RiskRow:
    title: str
    score: str
    owner: str
    action: str


def owner_name(*people: Person | None, fallback: str = "") -> str:
    """The first owner recorded among `people`, then `fallback` (a name typed as text), then
    "No owner". Every document names owners through here. An erased person owns nothing."""
    for person in people:
        if person is not None and not person.erased:
            return person.name
    return fallback.strip() or "No owner"


# Each entry's mitigations, their tasks and the tasks' owners, joined in the entries' own
# statement: the documents print who answers for a risk through the task that mitigates it.
WITH_MITIGATIONS = (
    joinedload(RaidEntry.mitigations).joinedload(Mitigation.task).joinedload(Task.owner)
)


def doing_text(entry: RaidEntry, mitigations: list[Mitigation]) -> str:
    """What is being done about a risk or issue: its action and its open mitigations."""
    parts = [entry.action.strip()] if entry.action.strip() else []
    parts += [m.description.strip() for m in mitigations if not m.done and m.description.strip()]
    if not parts:
        done = [m.description.strip() for m in mitigations if m.done]
        parts = [f"Done: {d}" for d in done]
    return "; ".join(parts) or "No mitigation recorded yet."


def _raid_rows(entries: list[RaidEntry]) -> list[RiskRow]:
    """Rows for entries loaded `WITH_MITIGATIONS`."""
    rows = []
    for entry in entries:
        if entry.kind == "risk":
            score, band = entry.current_score, entry.band
            shown = (
                f"{score} ({band.name})"
                if score and band
                else (str(score) if score else "Not scored")
            )
        else:
            shown = SEVERITIES.get(entry.severity or "", "")
        own = entry.mitigations
        # No owner on the entry: whoever owns the plan task that mitigates it answers for it.
        task_owners = [m.task.owner for m in own if m.task is not None and m.task.owner]
        owner = owner_name(entry.owner, *task_owners)
        rows.append(RiskRow(entry.title, shown, owner, doing_text(entry, own)))
    return rows


def key_risks(site_id: int, limit: int = 5) -> list[RiskRow]:
    """The highest-scoring open risks (one query: owners and mitigations joined)."""
    return _raid_rows(risk_queries.top_risks(site_id, limit, WITH_MITIGATIONS))


REPORT_LIMIT = 5  # risks and issues the report lists; every proposed decision is listed


def _report_entries(site_id: int) -> list[RaidEntry]:
    """The report's three lists in ONE statement: the open risks, highest score first, the
    open issues, most severe first, and the proposed decisions, soonest deadline first (each
    in the risk log's own order). A row number within each kind keeps the first five risks
    and issues, so the statement reads no more rows than the report prints."""
    kind = RaidEntry.kind
    rank = func.row_number().over(
        partition_by=kind,
        order_by=(
            case((kind == "risk", risk_queries.CURRENT_SCORE)).desc().nulls_last(),
            case((kind == "issue", risk_queries.SEVERITY_ORDER)),
            case((kind == "decision", RaidEntry.decide_by)).asc().nulls_last(),
            RaidEntry.raised_on,
            RaidEntry.id,
        ),
    )
    ranked = (
        select(RaidEntry.id, rank.label("rank"))
        .where(
            RaidEntry.site_id == site_id,
            or_(
                and_(kind.in_(("risk", "issue")), RaidEntry.status == "open"),
                and_(kind == "decision", RaidEntry.status == "proposed"),
            ),
        )
        .subquery("ranked")
    )
    return list(
        db.session.scalars(
            select(RaidEntry)
            .join(ranked, ranked.c.id == RaidEntry.id)
            .where(or_(kind == "decision", ranked.c.rank <= REPORT_LIMIT))
            .options(joinedload(RaidEntry.owner), WITH_MITIGATIONS)
            .order_by(ranked.c.rank)
        ).unique()
    )


def report_raid(site_id: int) -> dict[str, list[RiskRow]]:
    """Top risks, open issues and decisions waiting for the steering group (one query)."""
    entries = _report_entries(site_id)
    risks = [e for e in entries if e.kind == "risk"]
    issues = [e for e in entries if e.kind == "issue"]
    rows = _raid_rows(risks + issues)
    return {
        "risks": rows[: len(risks)],
        "issues": rows[len(risks) :],
        "decisions": [
            RiskRow(
                e.title,
                uk_date(e.decide_by, ""),
                owner_name(e.owner, fallback=e.decider),
                e.description,
            )
            for e in entries
            if e.kind == "decision"
        ],
    }
