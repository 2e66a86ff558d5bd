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

from sqlalchemy import ColumnElement, Row, and_, case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.core.audit import AuditEvent
from app.core.dates import london_to_utc, to_london, uk_date
from app.documents.models import PidNarrative, PidVersion
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
    needs = [
        _latest(column, NeedsVersion.site_id, NeedsVersion.id).scalar_subquery()
        for column in (
            NeedsVersion.id,
            NeedsVersion.expected_caseload,
            NeedsVersion.hip_fractures_prevented_5y,
        )
    ]
    change = [
        _latest(column, AuditEvent.site_id, AuditEvent.id).scalar_subquery()
        for column in (AuditEvent.id, AuditEvent.at)
    ]
    rows = db.session.execute(
        select(
            PidNarrative,
            PidVersion,
            meetings_total.label("meetings_total"),
            *(column.label(f"needs_{n}") for n, column in enumerate(needs)),
            *(column.label(f"change_{n}") for n, column in enumerate(change)),
            *(column.label(name) for name, column in gateway_facts(site_id).items()),
            *(column.label(name) for name, column in figures.figure_facts(site_id).items()),
        )
        .select_from(Site)
        .outerjoin(PidNarrative, PidNarrative.site_id == Site.id)
        .outerjoin(PidVersion, PidVersion.site_id == Site.id)
        .options(joinedload(PidVersion.agreed_by))
        .where(Site.id == site_id)
        .order_by(PidVersion.agreed_on.desc(), PidVersion.id.desc())
    ).all()
    first = rows[0]
    needs_id, caseload, hip = first[3:6]
    return SiteFacts(
        narrative=first[0],
        versions=[row[1] for row in rows if row[1] is not None],
        meetings_total=first[2] or 0,
        needs=(
            NeedsRow(expected_caseload=caseload, hip_fractures_prevented=hip, years=5)
            if needs_id is not None
            else None
        ),
        latest_change=tuple(first[6:8]) if first[6] is not None else (),
        gateways=gateway_rows(first._mapping),
        figure_values={name: first._mapping[name] for name in figures.figure_facts(site_id)},
    )


def _group_members(site_id: int, kinds: tuple[str, ...]) -> list[GroupMember]:
    return list(
        db.session.scalars(
            select(GroupMember)
            .join(Group, Group.id == GroupMember.group_id)
            .join(Person, Person.id == GroupMember.person_id)
            .where(
                GroupMember.site_id == site_id,
                Group.site_id == site_id,
                Group.kind.in_(kinds),
                Person.erased.is_(False),
            )
            .options(contains_eager(GroupMember.person), contains_eager(GroupMember.group))
            .order_by(Group.kind, Person.name)
        )
    )


def _role_at(person: Person, home: str) -> str:
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
    for member in members:
        person = member.person
        if member.group.kind == "project_team":
            role = toolkit.roles_by_key.get(member.team_role)
            team.append(
                (
                    role_order.get(member.team_role, 99),
                    TeamRow(
                        role=role.name if role else (member.team_role or "Team member"),
                        name=person.name,
                        job_title=_role_at(person, home_organisation),
                        responsibilities=role.responsibilities if role else "",
                    ),
                )
            )
        else:
            category = toolkit.categories_by_key.get(person.category or "")
            label = category.name if category else (person.category_other or "Other")
            by_category[label].append(_role_at(person, home_organisation) or "Member")
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


# What `phase_rows` reads of a task: the PID reads these columns alone (`plan_and_calendar`),
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


def site_on_first_task_row(site_id: int) -> ColumnElement:
    """`site_id` on the row of the site's first task (on the row with no task when the plan
    is empty) and an id no site has on every other row. A statement that reads the plan
    joins a short list on `<list>.site_id == this`: the list rides on one row, and the join
    stays one index lookup per task, whatever the list's length."""
    first_task = (
        select(func.coalesce(func.min(Task.id), 0)).where(Task.site_id == site_id).correlate(None)
    )
    return case((func.coalesce(Task.id, 0) == first_task.scalar_subquery(), site_id), else_=-1)


def tasks_in_plan_order(rows: Iterable[Row]) -> list[Row]:
    """The distinct task rows (a row repeats once per meeting or action riding on it; a row
    with no task has no id), in plan order. The order is set here, not in SQL: SQLite
    sorting those wide rows cost more than reading them."""
    tasks = {row.id: row for row in rows if row.id is not None}
    return sorted(tasks.values(), key=lambda task: (task.phase, task.position, task.id))


def plan_and_calendar(
    site_id: int, today: date, limit: int = 6
) -> tuple[list[Row], list[MeetingRow]]:
    """Every task in plan order (`PHASE_COLUMNS`, plain rows), and the next `limit` meetings
    that are not cancelled with their groups, in ONE statement.

    The meetings ride on the first task's row (`site_on_first_task_row`), so each task and
    each meeting comes once.
    """
    next_ids = (
        _upcoming_meetings(site_id, today)
        .with_only_columns(Meeting.id)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
        .correlate(None)
    )
    rows = db.session.execute(
        select(*PHASE_COLUMNS, Meeting)
        .select_from(Site)
        .outerjoin(Task, Task.site_id == Site.id)
        .outerjoin(
            Meeting,
            and_(
                Meeting.site_id == site_on_first_task_row(site_id),
                Meeting.id.in_(next_ids),
            ),
        )
        .options(joinedload(Meeting.group))
        .where(Site.id == site_id)
    ).all()
    tasks = tasks_in_plan_order(rows)
    meetings = sorted(
        (row.Meeting for row in rows if row.Meeting is not None),
        key=lambda meeting: (meeting.starts_at, meeting.id),
    )
    return tasks, [_meeting_row(meeting) for meeting in meetings]


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
