"""Moving the plan when the project's start date changes: every task not started yet moves
by the same number of days, and the site and its plan keep one start date.

Plain values in, no `request`; callers commit. The site's settings page sends a changed
start date here (sites sit below the plan, so they cannot move tasks themselves).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.plan.models import Task
from app.plan.service import plan_for
from app.sites.models import Site

EXAMPLES = 5


@dataclass(frozen=True)
class Moved:
    title: str
    start: date | None
    due: date | None
    new_start: date | None
    new_due: date | None


@dataclass(frozen=True)
class Shift:
    """What changing the start date to `new_start` would move."""

    old_start: date | None
    new_start: date
    days: int  # positive: later
    moving: int  # tasks not started, with a date, that would move
    staying: int  # tasks started, complete or not applicable, which keep their dates
    examples: list[Moved]


def current_start(site: Site) -> date | None:
    """The one start date: the site's, or its plan's for a site made before they were kept
    together."""
    plan = plan_for(site)
    return site.start_date or (plan.start_date if plan else None)


def _tasks(site: Site) -> list[Task]:
    return list(
        db.session.scalars(
            select(Task).where(Task.site_id == site.id).order_by(Task.phase, Task.position, Task.id)
        )
    )


def _moves(task: Task) -> bool:
    return task.status == "not_started" and (task.start_date or task.due_date) is not None


def _later(day: date | None, delta: timedelta) -> date | None:
    return day + delta if day else None


def preview_shift(site: Site, new_start: date) -> Shift:
    old = current_start(site)
    delta = new_start - old if old else timedelta(0)
    tasks = _tasks(site)
    moving = [t for t in tasks if _moves(t)] if delta else []
    examples = [
        Moved(
            t.title,
            t.start_date,
            t.due_date,
            _later(t.start_date, delta),
            _later(t.due_date, delta),
        )
        for t in moving[:EXAMPLES]
    ]
    return Shift(old, new_start, delta.days, len(moving), len(tasks) - len(moving), examples)


def change_start(site: Site, new_start: date, move_tasks: bool) -> int:
    """Set the start date of the site and its plan; with `move_tasks`, move every task not
    started by the same shift. Returns how many tasks moved (each keeps its history)."""
    old = current_start(site)
    delta = new_start - old if old else timedelta(0)
    moved = 0
    if move_tasks and delta:
        for task in _tasks(site):
            if _moves(task):
                task.start_date = _later(task.start_date, delta)
                task.due_date = _later(task.due_date, delta)
                moved += 1
    site.start_date = new_start
    plan = plan_for(site)
    if plan is not None:
        plan.start_date = new_start
    db.session.flush()
    return moved
