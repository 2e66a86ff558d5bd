"""What the documents read from the rest of the app: one query per section, whatever the size.

Each loader takes plain values and returns plain rows, so the builders never touch the
database and the query count of a document is fixed by the number of sections.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.core.dates import london_to_utc, to_london, uk_date
from app.documents.models import PidNarrative, PidRequest, PidVersion
from app.extensions import db
from app.gateways import queries as gateway_queries
from app.gateways.models import GATEWAY_STATUSES, SIGNED
from app.gateways.readiness import PHASES
from app.meetings.models import Meeting
from app.needs import figures
from app.needs.model import approx
from app.needs.models import NeedsVersion
from app.people.models import Group, GroupMember, Person
from app.plan.models import Task
from app.sites.models import Site
from app.toolkit import get_toolkit


@dataclass
class TeamRow:
    role: str
    name: str
    job_title: str
    responsibilities: str


@dataclass
class CategoryRow:
    category: str
    who: list[str]  # job titles and organisations: names stay out of a document sent by email


@dataclass
class PhaseRow:
    number: int
    name: str
    summary: str
    start: date | None
    end: date | None
    milestones: list[tuple[str, date | None]] = field(default_factory=list)
    tasks: int = 0
    done: int = 0


@dataclass
class SiteFacts:
    """What the documents page and the PID read about a site besides its lists: the team's
    text, the agreed versions (newest first), the figures, and its newest history row."""

    narrative: PidNarrative | None
    versions: list[PidVersion]
    meetings_total: int  # meetings planned from today on
    needs: NeedsRow | None
    latest_change: tuple  # (id, time) of the site's newest history row; () when none
    gateways: dict[int, GatewayRow]
    # a request that the sponsor agree the PID, still unanswered: when, and by whom
    asked_at: datetime | None = None
    asked_by: str | None = None
    figure_values: dict[str, Any] = field(default_factory=dict)  # app.needs.figures' facts


def _latest(column, site_column, order_column):  # noqa: ANN001, ANN202 - a scalar subquery
    """A column of the site's newest row of a table (highest id first)."""
    return select(column).where(site_column == Site.id).order_by(order_column.desc()).limit(1)


def site_facts(site_id: int, today: date) -> SiteFacts:
    """One statement: the site joined to its narrative and agreed versions (a handful of rows,
    each with who agreed it), with the counts, figures and gateways as labelled scalar
    subqueries."""
    meetings_total = (
        _upcoming_meetings(Site.id, today)
        .with_only_columns(func.count(Meeting.id))
        .scalar_subquery()
    )
    needs = {
        name: _latest(column, NeedsVersion.site_id, NeedsVersion.id).scalar_subquery()
        for name, column in (
            ("needs_id", NeedsVersion.id),
            ("needs_caseload", NeedsVersion.expected_caseload),
            ("needs_hip", NeedsVersion.hip_fractures_prevented_5y),
        )
    }
    change = {
        name: _latest(column, AuditEvent.site_id, AuditEvent.id).scalar_subquery()
        for name, column in (("change_id", AuditEvent.id), ("change_at", AuditEvent.at))
    }
    figure_facts = figures.figure_facts(site_id)  # built once: ninety-odd subqueries
    rows = db.session.execute(
        select(
            PidNarrative,
            PidVersion,
            meetings_total.label("meetings_total"),
            *(column.label(name) for name, column in needs.items()),
            *(column.label(name) for name, column in change.items()),
            *(column.label(name) for name, column in gateway_facts(site_id).items()),
            *(column.label(name) for name, column in _asked(Site.id).items()),
            *(column.label(name) for name, column in figure_facts.items()),
        )
        .select_from(Site)
        .outerjoin(PidNarrative, PidNarrative.site_id == Site.id)
        .outerjoin(PidVersion, PidVersion.site_id == Site.id)
        .options(joinedload(PidVersion.agreed_by))
        .where(Site.id == site_id)
        .order_by(PidVersion.agreed_on.desc(), PidVersion.id.desc())
    ).all()
    first = rows[0]  # the site's facts, the same on every row (one row per agreed version)
    return SiteFacts(
        narrative=first.PidNarrative,
        versions=[row.PidVersion for row in rows if row.PidVersion is not None],
        meetings_total=first.meetings_total or 0,
        needs=(
            NeedsRow(
                expected_caseload=first.needs_caseload,
                hip_fractures_prevented=first.needs_hip,
                years=5,
            )
            if first.needs_id is not None
            else None
        ),
        latest_change=(first.change_id, first.change_at) if first.change_id is not None else (),
        gateways=gateway_rows(first._mapping),
        asked_at=first._mapping["asked_at"],
        asked_by=first._mapping["asked_by"],
        figure_values={name: first._mapping[name] for name in figure_facts},
    )


def _asked(site_id: ColumnElement) -> dict[str, Any]:
    """The unanswered request that the sponsor agree the PID: when, and who asked."""

    def waiting(column):  # noqa: ANN001, ANN202
        return (
            select(column)
            .select_from(PidRequest)
            .outerjoin(User, User.id == PidRequest.requested_by_id)
            .where(PidRequest.site_id == site_id, PidRequest.status == "waiting")
            .order_by(PidRequest.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return {"asked_at": waiting(PidRequest.requested_at), "asked_by": waiting(User.name)}


# What `people_sections` reads of a member, their person and their group: columns alone,
# since building ORM objects for every member, person and group was a fifth of the PID's time.
MEMBER_COLUMNS = (Group.kind, GroupMember.team_role, Person.name, Person.job_title,
                  Person.organisation, Person.category, Person.category_other)  # fmt: skip


def _group_members(site_id: int, kinds: tuple[str, ...]) -> list[Row]:
    """The members of the site's groups of `kinds`, as rows of `MEMBER_COLUMNS`."""
    return list(
        db.session.execute(
            select(*MEMBER_COLUMNS)
            .select_from(GroupMember)
            .join(Group, Group.id == GroupMember.group_id)
            .join(Person, Person.id == GroupMember.person_id)
            .where(
                GroupMember.site_id == site_id,
                Group.site_id == site_id,
                Group.kind.in_(kinds),
                Person.erased.is_(False),
            )
            .order_by(Group.kind, Person.name)
        )
    )


def _role_at(person: Person | Row, home: str) -> str:
    """'Consultant, Age UK': the organisation is left out when it is the site's own."""
    organisation = "" if person.organisation.strip() == home.strip() else person.organisation
    return ", ".join(part for part in (person.job_title, organisation) if part)


def people_sections(
    site_id: int, home_organisation: str = ""
) -> tuple[list[TeamRow], list[CategoryRow], list[str]]:
    """The project team by toolkit role, the reference group by stakeholder category, and the
    categories nobody represents yet. One query (members with their people and groups)."""
    toolkit = get_toolkit()
    members = _group_members(site_id, ("project_team", "reference_group"))
    role_order = {role.key: number for number, role in enumerate(toolkit.roles)}
    team: list[tuple[int, TeamRow]] = []
    by_category: dict[str, list[str]] = defaultdict(list)
    for member in members:  # each row has the member's person and group columns
        if member.kind == "project_team":
            role = toolkit.roles_by_key.get(member.team_role)
            team.append(
                (
                    role_order.get(member.team_role, 99),
                    TeamRow(
                        role=role.name if role else (member.team_role or "Team member"),
                        name=member.name,
                        job_title=_role_at(member, home_organisation),
                        responsibilities=role.responsibilities if role else "",
                    ),
                )
            )
        else:
            category = toolkit.categories_by_key.get(member.category or "")
            label = category.name if category else (member.category_other or "Other")
            by_category[label].append(_role_at(member, home_organisation) or "Member")
    order = [c.name for c in toolkit.categories]
    categories = [
        CategoryRow(name, sorted(set(by_category[name]))) for name in order if name in by_category
    ] + [
        CategoryRow(name, sorted(set(who)))
        for name, who in by_category.items()
        if name not in order
    ]
    gaps = [name for name in order if name not in by_category]
    return [row for _order, row in sorted(team, key=lambda pair: pair[0])], categories, gaps


def plan_tasks(site_id: int) -> list[Task]:
    """Every task with its owner, in plan order (one query, owners joined)."""
    return list(
        db.session.scalars(
            select(Task)
            .where(Task.site_id == site_id)
            .options(joinedload(Task.owner))
            .order_by(Task.phase, Task.position, Task.id)
        )
    )


# What `phase_rows` reads of a task: the PID reads these columns alone (`plan_columns`),
# since building ORM objects for every task and its owner was a fifth of the PID's time.
PHASE_COLUMNS = (Task.id, Task.phase, Task.position, Task.title, Task.status, Task.start_date,
                 Task.due_date, Task.milestone)  # fmt: skip


def phase_rows(tasks: Iterable[Task | Row]) -> list[PhaseRow]:
    """The six phases with planned dates (earliest start, latest due) and milestones."""
    rows = {
        phase.number: PhaseRow(phase.number, phase.name, phase.summary, None, None)
        for phase in get_toolkit().gateway_phases
    }
    for task in tasks:
        row = rows.get(task.phase)
        if row is None or task.status == "not_applicable":
            continue
        row.tasks += 1
        row.done += task.status == "complete"
        if task.start_date and (row.start is None or task.start_date < row.start):
            row.start = task.start_date
        if task.due_date and (row.end is None or task.due_date > row.end):
            row.end = task.due_date
        if task.milestone:
            row.milestones.append((task.title, task.due_date))
    return [rows[number] for number in sorted(rows)]


# ---- Sections whose features arrive on other branches. Each returns plain rows; an empty
# result makes the document say what is missing and where to add it.


@dataclass
class MeetingRow:
    day: date
    time: str
    title: str
    group: str


@dataclass
class NeedsRow:
    expected_caseload: int | None
    hip_fractures_prevented: float | None
    years: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def hip_display(self) -> str:
        """The figure as the Needs page shows it: the needs model's own rounding, one path."""
        if self.hip_fractures_prevented is None:
            return ""
        return approx(self.hip_fractures_prevented)

    @property
    def caseload_display(self) -> str:
        return "" if self.expected_caseload is None else f"{self.expected_caseload:,}"


@dataclass
class GatewayRow:
    phase: int
    status: str  # in words: "Signed off 3 Mar 2026", "Not signed off"
    signed: bool


def _upcoming_meetings(site_id: int, today: date):  # noqa: ANN202 - a select
    return select(Meeting).where(
        Meeting.site_id == site_id,
        Meeting.cancelled.is_(False),
        Meeting.starts_at >= london_to_utc(datetime.combine(today, time.min)),
    )


def plan_columns(site_id: int) -> list[Row]:
    """Every task of the site in plan order, as plain rows of `PHASE_COLUMNS`."""
    return list(
        db.session.execute(
            select(*PHASE_COLUMNS)
            .where(Task.site_id == site_id)
            .order_by(Task.phase, Task.position, Task.id)
        )
    )


def upcoming_meetings(site_id: int, today: date, limit: int = 6) -> list[MeetingRow]:
    """The next `limit` meetings that are not cancelled, with their groups (one statement)."""
    meetings = db.session.scalars(
        _upcoming_meetings(site_id, today)
        .options(joinedload(Meeting.group))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    )
    return [_meeting_row(meeting) for meeting in meetings]


def _meeting_row(meeting: Meeting) -> MeetingRow:
    starts, ends = to_london(meeting.starts_at), to_london(meeting.ends_at)
    group = meeting.group.name if meeting.group else meeting.kind_name
    return MeetingRow(
        starts.date(),
        f"{starts:%H:%M}–{ends:%H:%M}",
        meeting.title,
        "" if group.lower() in meeting.title.lower() else group,
    )


def gateway_facts(site_id: int) -> dict[str, Any]:
    """Each gated phase's status and the time of its standing sign-off, as one-value SQL, so
    a document reads them among its other facts."""
    return gateway_queries.phase_facts(site_id, SIGNED)


def gateway_rows(values: Mapping[str, Any]) -> dict[int, GatewayRow]:
    """Each phase's gateway in words, with the date of a standing sign-off."""
    rows = {}
    for phase in PHASES:
        status = values[f"gateway_{phase}_status"] or "not_ready"
        signed_at = values[f"gateway_{phase}_at"]
        signed = status in SIGNED
        words = GATEWAY_STATUSES.get(status, status)
        if signed and signed_at is not None:
            words = f"{words} {uk_date(signed_at)}"
        rows[phase] = GatewayRow(phase=phase, status=words, signed=signed)
    return rows
