"""A task's change history from the audit log, with ids turned back into names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.core.audit import history_for
from app.core.dates import uk_date
from app.extensions import db
from app.people.models import Person
from app.plan.models import RAG_VALUES, TASK_STATUSES, Task
from app.toolkit import get_toolkit

LABELS = {
    "title": "Title",
    "guidance": "Guidance",
    "phase": "Phase",
    "position": "Order",
    "owner_id": "Owner",
    "start_date": "Start",
    "due_date": "Due",
    "completed_date": "Completed on",
    "status": "Status",
    "essential": "Essential",
    "milestone": "Milestone",
    "predecessor_id": "Comes after",
    "reported_rag": "Reported RAG",
    "reported_rag_reason": "Reason for reported RAG",
    "notes": "Notes",
    "library_key": "Library task",
}

ACTIONS = {"create": "Added", "update": "Changed", "delete": "Deleted", "fact": "Checked"}


@dataclass
class HistoryRow:
    at: datetime
    who: str
    action: str
    field: str
    old: str
    new: str


def _names(query) -> dict[int, str]:  # noqa: ANN001 - a two-column select
    return {row[0]: row[1] for row in db.session.execute(query).all()}


def task_history(task: Task) -> list[HistoryRow]:
    events = history_for("task", task.id, task.site_id)
    person_ids = {
        int(v)
        for e in events
        if e.field == "owner_id"
        for v in (e.old_value, e.new_value)
        if v and v.isdigit()
    }
    task_ids = {
        int(v)
        for e in events
        if e.field == "predecessor_id"
        for v in (e.old_value, e.new_value)
        if v and v.isdigit()
    }
    user_ids = {e.user_id for e in events if e.user_id}
    people = _names(
        select(Person.id, Person.name).where(
            Person.id.in_(person_ids), Person.site_id == task.site_id
        )
    )
    tasks = _names(
        select(Task.id, Task.title).where(Task.id.in_(task_ids), Task.site_id == task.site_id)
    )
    users = _names(select(User.id, User.name).where(User.id.in_(user_ids)))

    def show(name: str | None, value: str | None) -> str:
        if value in (None, ""):
            return "(blank)"
        if name == "owner_id":
            return people.get(int(value), "a person no longer on this site")
        if name == "predecessor_id":
            return tasks.get(int(value), "a deleted task")
        if name == "status":
            return TASK_STATUSES.get(value, value)
        if name == "reported_rag":
            return RAG_VALUES.get(value, value)
        if name == "phase":
            return get_toolkit().phase(int(value)).label
        if name in ("start_date", "due_date", "completed_date"):
            return uk_date(date.fromisoformat(value))
        return value

    rows = []
    for e in events:
        if e.field == "position":
            continue
        rows.append(
            HistoryRow(
                at=e.at,
                who=users.get(e.user_id, "The system"),
                action=ACTIONS.get(e.action, e.action),
                field=LABELS.get(e.field, e.field or ""),
                old=show(e.field, e.old_value) if e.field else "",
                # the app's own changes (action "fact") say which fact moved the task
                new=show(e.field, e.new_value) if e.field else (e.detail or ""),
            )
        )
    return rows
