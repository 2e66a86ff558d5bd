"""What only the steering-group highlight report reads, besides the risk log, the history and
the KPI values: the plan, its open actions and the report's facts (the steering meetings
either side of today, the gateways and the KPI targets), in one statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Row, func, select, true
from sqlalchemy.orm import aliased, joinedload

from app.core.dates import london_to_utc, to_london
from app.core.registry import registry
from app.documents.queries import GatewayRow, gateway_facts, gateway_rows
from app.documents.raid import owner_name
from app.extensions import db
from app.kpis.models import KpiTarget
from app.meetings.models import Action, Meeting
from app.needs import figures
from app.people.models import Person
from app.plan.models import Task
from app.toolkit import get_toolkit, vocabulary


@dataclass
class ActionRow:
    description: str
    owner: str
    due: date | None
    overdue: bool


@dataclass
class ReportFacts:
    last_steering: date | None  # the day of the last steering-group meeting before today
    next_steering: date | None  # and of the next one from today on
    gateways: dict[int, GatewayRow]
    kpi_targets: dict[int, float]  # the site's own target of each KPI that has one
    figure_values: dict[str, Any] = field(default_factory=dict)  # app.needs.figures' facts
    delivery_values: dict[str, Any] = field(default_factory=dict)  # registry.delivery_facts'


@dataclass(frozen=True)
class TaskOwner:
    """A task's owner as the documents name them (`raid.owner_name` reads these two)."""

    name: str
    erased: bool


@dataclass(frozen=True)
class ReportTask:
    """What the report reads of a task: its columns (`REPORT_TASK_COLUMNS`, in this order)
    and its owner. Plain values: building ORM objects for every task and its owner was
    the largest part of the report's reading."""

    id: int
    phase: int
    position: int
    title: str
    status: str
    start_date: date | None
    due_date: date | None
    completed_date: date | None
    essential: bool
    reported_rag: str | None
    reported_rag_reason: str
    owner: TaskOwner | None


REPORT_TASK_COLUMNS = (Task.id, Task.phase, Task.position, Task.title, Task.status,
                       Task.start_date, Task.due_date, Task.completed_date, Task.essential,
                       Task.reported_rag, Task.reported_rag_reason)  # fmt: skip


@dataclass
class ReportPlan:
    facts: ReportFacts
    tasks: list[ReportTask]  # every task with its owner, in plan order
    actions: list[Action]  # the open actions with their owners, most overdue first


def _facts(
    site_id: int, today: date, shared: dict[str, Any], delivery: dict[str, Any]
) -> dict[str, Any]:
    """The report's one-value facts as labelled scalar subqueries, with the figures every
    document states (`shared`) and the delivery feature's facts (`delivery`)."""
    start_of_today = london_to_utc(datetime.combine(today, time.min))
    steering = (
        Meeting.site_id == site_id,
        Meeting.kind == "steering_group",
        Meeting.cancelled.is_(False),
    )
    last = (
        select(func.max(Meeting.starts_at))
        .where(*steering, Meeting.starts_at < start_of_today)
        .scalar_subquery()
    )
    upcoming = (
        select(func.min(Meeting.starts_at))
        .where(*steering, Meeting.starts_at >= start_of_today)
        .scalar_subquery()
    )
    targets = {
        f"kpi_target_{kpi.number}": select(KpiTarget.target)
        .where(KpiTarget.site_id == site_id, KpiTarget.kpi_number == kpi.number)
        .scalar_subquery()
        for kpi in get_toolkit().kpis
    }
    return {
        "before": last, "after": upcoming, **gateway_facts(site_id), **targets, **shared,
        **delivery,
    }  # fmt: skip


def delivery_facts(site_id: int) -> dict[str, Any]:
    """What the delivery lines read (none when the delivery feature is not installed)."""
    declare = registry().delivery_facts
    return declare(site_id) if declare is not None else {}


def report_plan(site_id: int, today: date) -> ReportPlan:
    """The plan, its open actions and the facts, in ONE statement.

    The tasks (with their owners) and the site's open actions are joined on the action's
    task (a FULL join: a task with no open action, and an action linked to no task, each
    come on a row of their own; a task with two open actions comes twice). The facts are a
    one-row derived table the rest joins, so the statement has a row when both are empty.
    """
    # Built once each (the figures are ninety-odd subqueries): the statement and the
    # values read back both go by their names.
    shared, delivery = figures.figure_facts(site_id), delivery_facts(site_id)
    facts = select(
        *(value.label(name) for name, value in _facts(site_id, today, shared, delivery).items())
    ).subquery("facts")
    tasks = (
        select(
            *REPORT_TASK_COLUMNS,
            Person.name.label("owner_name"),
            Person.erased.label("owner_erased"),
        )
        .outerjoin(Person, Person.id == Task.owner_id)
        .where(Task.site_id == site_id)
        .subquery("plan")
    )
    open_action = aliased(
        Action,
        select(Action).where(Action.site_id == site_id, Action.status == "open").subquery(),
        name="open_action",
    )
    plan = tasks.join(open_action, open_action.task_id == tasks.c.id, full=True)
    rows = db.session.execute(
        select(tasks, open_action, facts)
        .select_from(facts)
        .outerjoin(plan, true())
        .options(joinedload(open_action.owner))
    ).all()
    values = rows[0]._mapping  # the facts, the same on every row
    by_id = {row.id: row for row in rows if row.id is not None}
    tasks_in_order = sorted(by_id.values(), key=lambda task: (task.phase, task.position, task.id))
    actions = {row.open_action.id: row.open_action for row in rows if row.open_action}
    before, after = values["before"], values["after"]
    return ReportPlan(
        ReportFacts(
            to_london(before).date() if before else None,
            to_london(after).date() if after else None,
            gateway_rows(values),
            {
                kpi.number: values[f"kpi_target_{kpi.number}"]
                for kpi in get_toolkit().kpis
                if values[f"kpi_target_{kpi.number}"] is not None
            },
            {name: values[name] for name in shared},
            {name: values[name] for name in delivery},
        ),
        [_report_task(row) for row in tasks_in_order],
        sorted(
            actions.values(),
            # The action log's order: most overdue first, undated last.
            key=lambda action: (action.due_date is None, action.due_date or date.min, action.id),
        ),
    )


def _report_task(row: Row) -> ReportTask:
    return ReportTask(
        **{column.key: getattr(row, column.key) for column in REPORT_TASK_COLUMNS},
        owner=TaskOwner(row.owner_name, row.owner_erased) if row.owner_name is not None else None,
    )


def action_rows(actions: list[Action], today: date, tasks: list[ReportTask]) -> list[ActionRow]:
    """The open actions as the report prints them. An action with no owner of its own is
    owned by whoever owns the plan task it is linked to (from `tasks`, the plan loaded with
    owners: no query per action)."""
    task_owners = {task.id: task.owner for task in tasks}
    return [
        ActionRow(
            action.description,
            owner_name(action.owner, task_owners.get(action.task_id)),
            action.due_date,
            action.is_overdue(today),
        )
        for action in actions
    ]


def current_phase(gateways: dict[int, GatewayRow]) -> int:
    """The first gated phase not signed off, from the gateways the report shows (the same
    rule as the rest of the app, without reading them again)."""
    return vocabulary.current_phase(phase for phase, row in gateways.items() if row.signed)
