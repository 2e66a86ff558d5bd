"""What the plan holds about a person: shown on their page, exported, and erased with them.

Registered with the people feature's extension points in `app.plan.register`.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.people.gdpr import PersonItem
from app.people.models import Person
from app.plan.models import TASK_STATUSES, Task


def tasks_owned(person: Person) -> list[PersonItem]:
    tasks = db.session.scalars(
        select(Task)
        .where(Task.site_id == person.site_id, Task.owner_id == person.id)
        .order_by(Task.phase, Task.position, Task.id)
    )
    return [
        PersonItem(
            title=task.title,
            endpoint="sites.plan.task",
            values={"task_id": task.id},
            detail=TASK_STATUSES.get(task.status, task.status),
            data={
                "task_id": task.id,
                "title": task.title,
                "phase": task.phase,
                "status": task.status,
                "due_date": task.due_date.isoformat() if task.due_date else None,
            },
        )
        for task in tasks
    ]


def unassign_tasks(person_id: int, site_id: int) -> None:
    """An erased person's tasks stay, without an owner; their history keeps only ids."""
    for task in db.session.scalars(
        select(Task).where(Task.site_id == site_id, Task.owner_id == person_id)
    ):
        task.owner_id = None
