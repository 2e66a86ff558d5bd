"""Rules for the RAID log: what may be saved, and the writes. Plain values in, no request.

Reads (the log, the heat map, what goes to the steering group) live in queries.py and are
re-exported here so other features can import them from one place.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.core.dates import uk_date, utcnow
from app.core.errors import ServiceError
from app.extensions import db
from app.meetings.models import Meeting
from app.people.models import Person
from app.plan.models import Task
from app.risks import scoring
from app.risks.models import (
    DECISION_STATUSES,
    ENTRY_STATUSES,
    KINDS,
    SEVERITIES,
    Mitigation,
    RaidEntry,
)
from app.risks.starters import STARTERS_BY_KEY
from app.toolkit.vocabulary import phase_numbers

PHASES = phase_numbers()
RISK_FIELDS = ("likelihood", "impact", "residual_likelihood", "residual_impact")
ISSUE_FIELDS = ("severity", "action")
DECISION_FIELDS = ("decider", "decide_by", "outcome", "decided_on", "meeting_id")

if TYPE_CHECKING:  # app.sites imports this feature for its overview panel
    from app.sites.models import Site


@dataclass
class EntryDetails:
    kind: str
    title: str
    description: str = ""
    owner_id: int | None = None
    raised_on: date | None = None
    phase: int | None = None
    status: str = ""
    review_on: date | None = None
    likelihood: int | None = None
    impact: int | None = None
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    severity: str | None = None
    action: str = ""
    decider: str = ""
    decide_by: date | None = None
    outcome: str = ""
    decided_on: date | None = None
    meeting_id: int | None = None


def statuses_for(kind: str) -> dict[str, str]:
    return DECISION_STATUSES if kind == "decision" else ENTRY_STATUSES


def owner_choices(site_id: int) -> list[Person]:
    """People of this site who can own an entry (erased people cannot)."""
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.site_id == site_id, Person.erased.is_(False))
            .order_by(Person.name)
        )
    )


def meeting_choices(site_id: int) -> list[tuple[int, str]]:
    """Meetings of this site that took place, newest first: where a decision may be made."""
    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(
            Meeting.site_id == site_id,
            Meeting.cancelled.is_(False),
            Meeting.starts_at <= utcnow(),
        )
        .order_by(Meeting.starts_at.desc())
    )
    return [(row.id, f"{row.title}, {uk_date(row.starts_at)}") for row in rows]


def check_meeting(site: Site, meeting_id: int | None) -> None:
    if meeting_id is None:
        return
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.site_id != site.id:
        raise ServiceError("Choose a meeting of this site.", "meeting_id")


def task_choices(site_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Task.id, Task.title)
        .where(Task.site_id == site_id)
        .order_by(Task.phase, Task.position, Task.id)
    )
    return [(row.id, row.title) for row in rows]


def _check_pair(likelihood: object, impact: object, prefix: str, when: str) -> None:
    for name, value, words in (
        ("likelihood", likelihood, "1 (rare) to 5 (almost certain)"),
        ("impact", impact, "1 (negligible) to 5 (severe)"),
    ):
        if value is not None and not scoring.valid_score(value):
            raise ServiceError(
                f"{name.capitalize()} {when} must be a whole number from {words}.", prefix + name
            )
    if (likelihood is None) != (impact is None):
        missing = "impact" if impact is None else "likelihood"
        raise ServiceError(
            f"Give the {missing} {when} too: a score needs both likelihood and impact.",
            prefix + missing,
        )


def check_owner(site: Site, owner_id: int | None) -> None:
    if owner_id is None:
        return
    owner = db.session.get(Person, owner_id)
    if owner is None or owner.site_id != site.id or owner.erased:
        raise ServiceError("Choose an owner from this site's people.", "owner_id")


def validate(site: Site, details: EntryDetails) -> None:
    """Raise ServiceError naming the field for the first rule the details break."""
    if details.kind not in KINDS:
        raise ServiceError("Choose what kind of entry this is.", "kind")
    if not details.title.strip():
        raise ServiceError("Enter a title.", "title")
    if details.status not in statuses_for(details.kind):
        allowed = ", ".join(statuses_for(details.kind).values()).lower()
        raise ServiceError(f"Choose a status: {allowed}.", "status")
    if details.phase is not None and details.phase not in PHASES:
        raise ServiceError("Choose a phase from 0 (Manage and Lead) to 6.", "phase")
    check_owner(site, details.owner_id)
    check_meeting(site, details.meeting_id)
    if details.kind == "risk":
        _check_pair(details.likelihood, details.impact, "", "before mitigation")
        _check_pair(
            details.residual_likelihood, details.residual_impact, "residual_", "after mitigation"
        )
    if details.kind == "issue" and details.severity not in SEVERITIES:
        raise ServiceError("Choose how severe the issue is.", "severity")
    if details.kind == "decision":
        _check_decision(details)


def _check_decision(details: EntryDetails) -> None:
    has_outcome = bool(details.outcome.strip())
    if has_outcome and details.decided_on is None:
        raise ServiceError(
            "Enter the date the decision was made, or clear the outcome.", "decided_on"
        )
    if details.decided_on is not None and not has_outcome:
        raise ServiceError("Enter what was decided, or clear the decision date.", "outcome")
    if details.status in ("agreed", "rejected") and not has_outcome:
        raise ServiceError(
            "Record the outcome before marking the decision agreed or rejected.", "outcome"
        )
    if details.status == "proposed" and has_outcome:
        raise ServiceError(
            "A decision with an outcome is agreed or rejected: choose which.", "status"
        )


def _apply(entry: RaidEntry, details: EntryDetails) -> None:
    # Columns that do not belong to this kind are cleared, so the log never shows, say, a
    # severity on a risk left over from an earlier edit.
    kind_fields = {"risk": RISK_FIELDS, "issue": ISSUE_FIELDS, "decision": DECISION_FIELDS}
    own = set(kind_fields.get(details.kind, ()))
    other = {f for group in kind_fields.values() for f in group} - own
    for item in fields(details):
        value = getattr(details, item.name)
        if item.name in other:
            value = "" if isinstance(value, str) else None
        if isinstance(value, str):
            value = value.strip()
        if item.name == "raised_on" and value is None:
            continue  # keep the stored (or default) date
        setattr(entry, item.name, value)


def create_entry(site: Site, details: EntryDetails, starter_key: str | None = None) -> RaidEntry:
    validate(site, details)
    entry = RaidEntry(site_id=site.id, starter_key=starter_key)
    _apply(entry, details)
    db.session.add(entry)
    db.session.flush()
    return entry


def update_entry(site: Site, entry: RaidEntry, details: EntryDetails) -> RaidEntry:
    details.kind = entry.kind  # an entry keeps its kind; add a new one to change it
    validate(site, details)
    _apply(entry, details)
    db.session.flush()
    return entry


def delete_entry(entry: RaidEntry) -> None:
    db.session.delete(entry)
    db.session.flush()


def add_mitigation(
    site: Site,
    entry: RaidEntry,
    description: str,
    task_id: int | None = None,
    residual: tuple[int | None, int | None] = (None, None),
) -> Mitigation:
    """Add an action; a new after-mitigation score, when given, replaces the old one."""
    if not description.strip():
        raise ServiceError("Describe the action.", "description")
    if task_id is not None:
        task = db.session.get(Task, task_id)
        if task is None or task.site_id != site.id:
            raise ServiceError("Choose a task from this site's plan.", "task_id")
    if entry.kind == "risk":
        _check_pair(residual[0], residual[1], "residual_", "after mitigation")
        if residual[0] is not None:
            entry.residual_likelihood, entry.residual_impact = residual
    mitigation = Mitigation(
        site_id=site.id, entry=entry, description=description.strip(), task_id=task_id
    )
    db.session.add(mitigation)
    db.session.flush()
    return mitigation


def add_starters(site: Site, keys: list[str], raised_on: date) -> list[RaidEntry]:
    """Add the chosen starter risks; ones already on the log are skipped, not duplicated."""
    unknown = [key for key in keys if key not in STARTERS_BY_KEY]
    if unknown or not keys:
        raise ServiceError("Choose at least one of the starter risks listed.", "starters")
    present = set(
        db.session.scalars(
            select(RaidEntry.starter_key).where(
                RaidEntry.site_id == site.id, RaidEntry.starter_key.in_(keys)
            )
        )
    )
    added = []
    for key in keys:
        if key in present:
            continue
        starter = STARTERS_BY_KEY[key]
        details = EntryDetails(
            kind="risk",
            title=starter.title,
            description=starter.description,
            raised_on=raised_on,
            phase=starter.phase,
            status="open",
            likelihood=starter.likelihood,
            impact=starter.impact,
        )
        added.append(create_entry(site, details, starter_key=key))
    return added
