"""Actions from meetings (or raised on their own): adding and updating them, checked
against the site's people and plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import ServiceError
from app.extensions import db
from app.meetings.models import ACTION_STATUSES, Action, Meeting
from app.meetings.service import person_in_site
from app.plan.models import Task


@dataclass
class ActionDetails:
    description: str
    owner_id: int | None
    due_date: date | None = None
    task_id: int | None = None
    status: str = "open"


def _check_action(site_id: int, details: ActionDetails) -> None:
    if not details.description.strip():
        raise ServiceError("Describe the action.", "description")
    if details.owner_id is None:
        raise ServiceError("Choose who owns the action.", "owner_id")
    person_in_site(site_id, details.owner_id, "owner_id", "action's owner")
    if details.status not in ACTION_STATUSES:
        raise ServiceError("Choose open, done or dropped.", "status")
    if details.task_id is not None:
        found = db.session.scalar(
            select(Task.id).where(Task.id == details.task_id, Task.site_id == site_id)
        )
        if found is None:
            raise ServiceError("Choose a task from this site's plan.", "task_id")


def add_action(
    site_id: int, details: ActionDetails, meeting: Meeting | None = None, on: date | None = None
) -> Action:
    _check_action(site_id, details)
    action = Action(
        site_id=site_id,
        meeting_id=meeting.id if meeting else None,
        description=details.description.strip(),
        owner_id=details.owner_id,
        due_date=details.due_date,
        task_id=details.task_id,
        status=details.status,
        completed_on=on if details.status == "done" else None,
    )
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: Action, details: ActionDetails, on: date) -> Action:
    _check_action(action.site_id, details)
    if details.status == "done" and action.status != "done":
        action.completed_on = on
    elif details.status != "done":
        action.completed_on = None
    action.description = details.description.strip()
    action.owner_id = details.owner_id
    action.due_date = details.due_date
    action.task_id = details.task_id
    action.status = details.status
    db.session.flush()
    return action
