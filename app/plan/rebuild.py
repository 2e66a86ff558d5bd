"""Rebuilding a plan from the task library, while no work has been recorded on it.

A site's plan is made when the site is created; if the start date or the kind of service
was wrong, a manager can make it again. Once any task has an owner, a status other than
"not started" or a comment, rebuilding would lose work, so it is refused.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from app.core.errors import ServiceError
from app.extensions import db
from app.plan.models import Task, TaskComment
from app.plan.service import create_plan, plan_for
from app.sites.models import Site


def tasks_with_work(site: Site) -> int:
    """How many of the site's tasks have an owner, progress or a comment: one query."""
    commented = select(TaskComment.task_id)
    return db.session.scalar(
        select(func.count(Task.id)).where(
            Task.site_id == site.id,
            or_(
                Task.status != "not_started",
                Task.owner_id.is_not(None),
                Task.id.in_(commented),
            ),
        )
    )


def rebuild_plan(site: Site, service_kind: str, start: date | None) -> None:
    """Replace the plan and its tasks with fresh ones from the library. Not committed."""
    started = tasks_with_work(site)
    if started:
        raise ServiceError(
            f"Work is recorded on {started} task(s) (an owner, progress or a comment), so the "
            "plan cannot be rebuilt without losing it. Change the tasks' dates instead."
        )
    plan = plan_for(site)
    if plan is not None:
        for task in db.session.scalars(select(Task).where(Task.site_id == site.id)):
            db.session.delete(task)
        db.session.delete(plan)
        db.session.flush()
    create_plan(site, service_kind, start)
