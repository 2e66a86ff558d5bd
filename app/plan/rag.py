"""The one place that decides red, amber and green (documented on the help page).

Derived RAG of one task, from its status and dates (`derived_rag`):
  1. complete → "complete"; not applicable → None (left out of every roll-up);
  2. due date before today → "red";
  3. blocked → "amber";
  4. due within the next 14 days and not started → "amber";
  5. otherwise → "green".

A person may report a different RAG with a reason. The report never hides the dates: where
it is rosier than the derived RAG, pages show both (`is_rosier`). For roll-ups a task counts
as the worse of the two (`effective_rag`), so a report can raise a concern but not bury one.

Roll-up of a phase or a whole site (`roll_up`), over the applicable tasks:
  no applicable tasks → None; all complete → "complete"; any essential task red → "red";
  any task red or amber → "amber"; otherwise → "green".

`site_rag_summary` applies the same rules in SQL (CASE + GROUP BY) so a portfolio of
hundreds of sites costs one query; tests check it agrees with the Python version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select

from app.extensions import db
from app.plan.models import Task
from app.toolkit.vocabulary import RAG_LABELS, rag_ladder, severity  # noqa: F401 - RAG_LABELS for the plan's users

DUE_SOON_DAYS = 14


def derived_rag(status: str, start: date | None, due: date | None, today: date) -> str | None:
    """The RAG the dates give one task (see the module docstring for the rule)."""
    if status == "complete":
        return "complete"
    if status == "not_applicable":
        return None
    if due is not None and due < today:
        return "red"
    if status == "blocked":
        return "amber"
    if status == "not_started" and due is not None and due <= today + timedelta(DUE_SOON_DAYS):
        return "amber"
    return "green"


def task_rag(task: Task, today: date) -> str | None:
    return derived_rag(task.status, task.start_date, task.due_date, today)


def is_rosier(reported: str | None, derived: str | None) -> bool:
    """True when someone reports a better RAG than the dates give (both are then shown)."""
    if not reported or derived in (None, "complete"):
        return False
    return severity(reported) < severity(derived)


def effective_rag(derived: str | None, reported: str | None) -> str | None:
    """The RAG a task contributes to roll-ups: the worse of derived and reported."""
    if derived in (None, "complete") or not reported:
        return derived
    return reported if severity(reported) > severity(derived) else derived


@dataclass(frozen=True)
class RolledTask:
    rag: str | None  # effective RAG
    essential: bool


def roll_up(tasks: Iterable[RolledTask]) -> str | None:
    """Phase or site RAG from its tasks' effective RAGs (see the module docstring)."""
    applicable = [t for t in tasks if t.rag is not None]
    return rag_ladder(
        applicable=len(applicable),
        complete=sum(t.rag == "complete" for t in applicable),
        essential_red=sum(t.rag == "red" and t.essential for t in applicable),
        red_or_amber=sum(t.rag in ("red", "amber") for t in applicable),
    )


@dataclass(frozen=True)
class SummaryRow:
    site_id: int
    rag: str | None
    essential_done: int
    essential_applicable: int
    done: int
    applicable: int
    overdue: int


def sql_flags(today: date):  # noqa: ANN202 - SQL expressions
    """SQL versions of 'effectively red' and 'effectively amber' for applicable open tasks."""
    open_task = Task.status.notin_(("complete", "not_applicable"))
    overdue = and_(open_task, Task.due_date < today)
    red = and_(open_task, or_(Task.due_date < today, Task.reported_rag == "red"))
    amber = and_(
        open_task,
        or_(
            Task.status == "blocked",
            and_(Task.status == "not_started", Task.due_date <= today + timedelta(DUE_SOON_DAYS)),
            Task.reported_rag == "amber",
        ),
    )
    return overdue, red, amber


def site_rag_summary(site_ids: list[int], today: date) -> dict[int, SummaryRow]:
    """Per site: rolled-up RAG, essential tasks done / applicable, overdue count. One query.

    Sites without any task are missing from the result.
    """
    if not site_ids:
        return {}
    overdue, red, amber = sql_flags(today)

    def count_if(condition) -> object:  # noqa: ANN001
        return func.sum(case((condition, 1), else_=0))

    applicable = Task.status != "not_applicable"
    complete = Task.status == "complete"
    rows = db.session.execute(
        select(
            Task.site_id,
            count_if(applicable),
            count_if(complete),
            count_if(and_(applicable, Task.essential)),
            count_if(and_(complete, Task.essential)),
            count_if(overdue),
            count_if(and_(red, Task.essential)),
            count_if(or_(red, amber)),
        )
        .where(Task.site_id.in_(site_ids))
        .group_by(Task.site_id)
    ).all()
    result = {}
    for site_id, n_app, n_done, ess_app, ess_done, n_overdue, ess_red, red_amber in rows:
        n_app, n_done = int(n_app or 0), int(n_done or 0)
        rag = rag_ladder(n_app, n_done, int(ess_red or 0), int(red_amber or 0))
        result[site_id] = SummaryRow(
            site_id, rag, int(ess_done or 0), int(ess_app or 0), n_done, n_app, int(n_overdue or 0)
        )
    return result
