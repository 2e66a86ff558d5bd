"""Which parts of the plan page open first (issue #32 item 5).

Whoever opens the plan on a Monday wants the work in hand, not the 90 tasks of the whole
project starting with the ones finished months ago. So:
- the current phase (the gateways feature's rule, `registry.current_phase_fact`) is open,
  and so is any other phase with work under way: an open task that is overdue, in
  progress, blocked or past its start date (an earlier phase left unfinished, Manage and
  Lead's task of the month);
- a phase with no open task is folded behind one line ("13 of 13 done, signed off 22 Sep
  2026"), and so is a phase whose open tasks have not started yet (its dates and RAG on
  the line);
- within an open phase the open tasks are listed in plan order and the done ones
  (complete or not applicable) folded beneath them: the table is what is left to do and
  the finished work stays one click away, rather than scrolling past it every week;
- a filtered view lists every matching task unfolded: whoever filtered asked to see them;
- a task kept on purpose (the row being edited, or just saved through htmx) keeps its
  phase open and its row listed where it was, so a row does not jump away as it is saved.
The summaries count every task, whatever is folded. Printed, every fold opens (app.css).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql.elements import ColumnElement

from app.core.registry import registry
from app.extensions import db
from app.plan.models import Plan
from app.plan.queries import PhaseView, TaskView
from app.sites.models import Site

_SIGNED_OFF = "signed_off_"


@dataclass(frozen=True)
class PhaseProgress:
    """Where the site stands: its current phase and when each signed-off phase was signed."""

    current: int
    signed_off: dict[int, datetime] = field(default_factory=dict)


@dataclass
class PhaseFold:
    """A phase as the plan page shows it."""

    view: PhaseView
    open: bool
    listed: list[TaskView]  # the rows of the phase's table (all of them when folded)
    done: list[TaskView]  # done rows folded beneath the open ones (an open phase only)
    signed_off: datetime | None = None


def progress_facts(site_id: int) -> dict[str, ColumnElement]:
    """The current phase and the sign-off dates as one-value SQL, for the plan's statement."""
    rules = registry()
    facts: dict[str, ColumnElement] = {}
    if rules.current_phase_fact is not None:
        facts["current_phase"] = rules.current_phase_fact(site_id)
    if rules.signed_off_facts is not None:
        for phase, expression in rules.signed_off_facts(site_id).items():
            facts[f"{_SIGNED_OFF}{phase}"] = expression
    return facts


def progress_from(site: Site, values: Mapping[str, Any]) -> PhaseProgress:
    current = values.get("current_phase")
    if current is None:  # no phase fact registered: ask the rule (one more statement)
        from app.sites.queries import current_phase_numbers

        current = current_phase_numbers([site.id]).get(site.id, 1)
    signed = {
        int(name.removeprefix(_SIGNED_OFF)): value
        for name, value in values.items()
        if name.startswith(_SIGNED_OFF) and value is not None
    }
    return PhaseProgress(int(current), signed)


def plan_and_progress(site: Site) -> tuple[Plan | None, PhaseProgress | None]:
    """The site's plan and where the site stands, in one statement."""
    facts = progress_facts(site.id)
    row = db.session.execute(
        select(Plan, *(expression.label(name) for name, expression in facts.items())).where(
            Plan.site_id == site.id
        )
    ).first()
    if row is None:
        return None, None
    values = dict(row._mapping)
    return values.pop("Plan"), progress_from(site, values)


def is_done(view: TaskView) -> bool:
    """Complete, or not applicable (no RAG): nothing left to do."""
    return view.rag in (None, "complete")


def under_way(view: TaskView, today: date) -> bool:
    """An open task whose time has come: overdue, in progress, blocked or past its start."""
    task = view.task
    if is_done(view):
        return False
    started = task.start_date is not None and task.start_date <= today
    return view.overdue or task.status in ("in_progress", "blocked") or started


def opens(phase: PhaseView, current: int, today: date) -> bool:
    """Whether a phase opens unfolded (when no filter is set); see the module's docstring."""
    if phase.phase.number == current:
        return True
    return any(under_way(view, today) for view in phase.all_tasks)


def fold(
    board: list[PhaseView],
    progress: PhaseProgress,
    today: date,
    filtered: bool,
    keep: set[int] | None = None,
) -> list[PhaseFold]:
    """Each phase of `board` open or folded, its rows split into listed and done."""
    keep = keep or set()
    folds = []
    for phase in board:
        signed_off = progress.signed_off.get(phase.phase.number)
        if filtered:
            folds.append(PhaseFold(phase, True, phase.tasks, [], signed_off))
            continue
        kept = any(view.task.id in keep for view in phase.tasks)
        if not (kept or opens(phase, progress.current, today)):
            folds.append(PhaseFold(phase, False, phase.tasks, [], signed_off))
            continue
        listed = [v for v in phase.tasks if not is_done(v) or v.task.id in keep]
        done = [v for v in phase.tasks if is_done(v) and v.task.id not in keep]
        folds.append(PhaseFold(phase, True, listed, done, signed_off))
    return folds
