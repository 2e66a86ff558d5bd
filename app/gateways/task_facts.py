"""Tasks that follow a fact the app checks: the plan's "name a person for every team role"
is done when every role is held, so the app completes it rather than asking anyone to.

A library task names its fact with `done_when` (tasks.toml). After every change to a site
(any successful POST under /sites/<id>/), `follow_facts` reads those facts in one SELECT and
the tasks in one more: a task whose fact holds is completed, by the app (its history says
"The system"); one the app completed is reopened when its fact stops holding. A completion
a person made is never undone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Response, g, request
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.core.audit import acting_as_system, record_event
from app.core.dates import today
from app.core.registry import registry
from app.extensions import db
from app.gateways import bp
from app.gateways.readiness import results_of
from app.plan.models import Task
from app.sites.models import Site
from app.toolkit import get_toolkit

REOPENED_STATUS = "in_progress"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    task_id: int
    title: str
    completed: bool  # True: completed by the app; False: reopened


def fact_of_tasks() -> dict[str, str]:
    """{library task key: the registered check that says it is done}."""
    checks = registry().gateway_checks
    return {t.key: t.done_when for t in get_toolkit().tasks if t.done_when in checks}


def follow_facts(site: Site) -> list[Change]:
    """Complete or reopen the site's fact-following tasks; flushes, the caller commits."""
    followed = fact_of_tasks()
    results = results_of(site, sorted(set(followed.values())))
    tasks = db.session.scalars(
        select(Task).where(
            Task.site_id == site.id,
            Task.library_key.in_(sorted(followed)),
            Task.status != "not_applicable",
        )
    )
    changes: list[Change] = []
    with acting_as_system():
        for task in tasks:
            result = results[followed[task.library_key]]
            if result.met and task.status != "complete":
                task.status, task.completed_date = "complete", today()
                task.completed_by_app = True
                changes.append(Change(task.id, task.title, True))
            elif not result.met and task.status == "complete" and task.completed_by_app:
                task.status, task.completed_date = REOPENED_STATUS, None
                task.completed_by_app = False
                changes.append(Change(task.id, task.title, False))
            else:
                continue
            record_event(
                "fact",
                site_id=site.id,
                object_type="task",
                object_id=task.id,
                label=task.title,
                detail=("Completed by the app: " if result.met else "Reopened by the app: ")
                + result.detail,
            )
        db.session.flush()
    return changes


@bp.after_app_request
def _follow_facts_after_a_change(response: Response) -> Response:
    """After a successful change to a site, bring its fact-following tasks in line."""
    site = g.get("site")
    changed_site = request.method == "POST" and response.status_code < 400
    if not changed_site or site is None:
        return response
    try:
        if follow_facts(site):
            db.session.commit()
    except StaleDataError:
        # Another request brought the same task in line first: theirs stands, and the
        # person's own change (already committed) is not turned into an error.
        db.session.rollback()
        log.info("Site #%s: fact-following tasks already updated by another request", site.id)
    return response
