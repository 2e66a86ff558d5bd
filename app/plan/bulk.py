"""Changing many tasks at once: the same owner, dates or status for every task ticked.

Plain values in, no `request`; callers commit. Each task goes through `update_task`, so the
rules are the one-task rules and each change gets its own history rows. A task someone
changed after the page was opened stops the whole change (409), so nothing is overwritten.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.core.dates import uk_date
from app.core.errors import ServiceError, StaleEdit
from app.extensions import db
from app.plan.models import Task
from app.plan.service import TaskChanges, update_task
from app.sites.models import Site

CHANGEABLE = {"status": "Status", "owner_id": "Owner", "start_date": "Start", "due_date": "Due"}


def update_many(
    site: Site, versions: dict[int, int], changes: TaskChanges, today: date, back_url: str = ""
) -> list[Task]:
    """Apply `changes` (only the fields in `changes.present`) to the tasks in `versions`
    ({task id: the version the page showed}); returns the tasks, in plan order."""
    if not versions:
        raise ServiceError("Tick at least one task to change.", "task_ids")
    if not changes.present:
        raise ServiceError("Choose what to change: the status, owner or a date.", "status")
    tasks = list(
        db.session.scalars(
            select(Task)
            .where(Task.site_id == site.id, Task.id.in_(list(versions)))
            .order_by(Task.phase, Task.position, Task.id)
        )
    )
    if len(tasks) != len(versions):
        raise ServiceError("Some of the tasks ticked are no longer in the plan.", "task_ids")
    stale = [t for t in tasks if t.version != versions[t.id]]
    if stale:
        raise StaleEdit(
            what=f"{len(stale)} of the {len(tasks)} tasks ticked",
            current=[(t.title, f"changed on {uk_date(t.updated_at)}") for t in stale],
            yours=[
                (label, "your change")
                for name, label in CHANGEABLE.items()
                if name in changes.present
            ],
            back_url=back_url or None,
        )
    for task in tasks:
        try:
            update_task(task, changes, today)
        except ServiceError as error:
            raise ServiceError(f"{task.title}: {error.message}", error.field) from error
    return tasks
