"""What only the steering-group highlight report reads: the steering meetings either side of
today with the gateways (one query), the open actions and the current phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select

from app.core.dates import london_to_utc, to_london
from app.core.db import select_facts
from app.documents.queries import GatewayRow, gateway_facts, gateway_rows
from app.documents.raid import owner_name
from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting
from app.plan.models import Task
from app.toolkit import vocabulary


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


def report_facts(site_id: int, today: date) -> ReportFacts:
    """The steering-group meetings either side of today and each phase's gateway, in one
    statement."""
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
    values = select_facts({"before": last, "after": upcoming, **gateway_facts(site_id)})
    before, after = values["before"], values["after"]
    return ReportFacts(
        to_london(before).date() if before else None,
        to_london(after).date() if after else None,
        gateway_rows(values),
    )


def open_actions(site_id: int, today: date, tasks: list[Task]) -> list[ActionRow]:
    """Open actions from the action log, most overdue first. An action with no owner of its
    own is owned by whoever owns the plan task it is linked to (from `tasks`, the plan the
    report has loaded with owners: no query per action, nor one that only some sites run)."""
    actions = meeting_queries.open_actions(site_id)
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
