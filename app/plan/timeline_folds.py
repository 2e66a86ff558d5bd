"""The timeline on a phone (issue #32): what is late and due soon, then the plan's folds.

A Gantt chart needs a laptop's width; on a phone the timeline used to list all 90 tasks by
month (13,192 px at 390 px on Riverside). A project manager on the move asks what is late
and what is due this month and next, so those come first, from every phase. Below them
every task, phase by phase, folded by the plan page's own rule (`app.plan.folding.fold`:
the current phase and any phase with work under way open, the others behind one line
with their dates, count done and RAG, which is the Gantt's summary). Within an open phase
the tasks go by month due, and a month already past whose tasks are all done folds behind
one line too ("September 2026: 6 of 6 done").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from markupsafe import Markup, escape

from app.core.dates import uk_date
from app.core.tags import rag_tag
from app.plan.folding import PhaseFold, is_done
from app.plan.queries import TaskView


@dataclass
class MonthGroup:
    label: str  # "July 2026", or "No due date"
    views: list[TaskView] = field(default_factory=list)
    month: date | None = None  # its first day; None for tasks with no due date

    @property
    def done(self) -> int:
        return sum(1 for view in self.views if is_done(view))

    def folded(self, today: date) -> bool:
        """A month already past with nothing left to do folds behind one line."""
        return (
            self.month is not None
            and self.month < today.replace(day=1)
            and self.done == len(self.views)
        )


def months_of(views: list[TaskView]) -> list[MonthGroup]:
    """`views` by the month they are due, in date order (undated ones last)."""
    dated = sorted((v for v in views if v.task.due_date), key=lambda v: v.task.due_date)
    groups: list[MonthGroup] = []
    for view in dated:
        first = view.task.due_date.replace(day=1)
        if not groups or groups[-1].month != first:
            groups.append(MonthGroup(f"{first:%B %Y}", month=first))
        groups[-1].views.append(view)
    undated = [v for v in views if not v.task.due_date]
    if undated:
        groups.append(MonthGroup("No due date", undated))
    return groups


@dataclass
class PhaseMonths:
    """A phase as the phone shows it: open or folded as on the plan page, its tasks by month."""

    fold: PhaseFold
    months: list[MonthGroup]


def phase_months(folds: list[PhaseFold]) -> list[PhaseMonths]:
    """Every phase that has tasks, with all its tasks (done ones too) by month due."""
    return [PhaseMonths(f, months_of(f.view.all_tasks)) for f in folds if f.view.all_tasks]


@dataclass
class DueSoon:
    """The open tasks of every phase that are late, due this month and due next month."""

    late: list[TaskView]
    this_month: MonthGroup
    next_month: MonthGroup


def due_soon(folds: list[PhaseFold], today: date) -> DueSoon:
    this_month = today.replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    open_views = sorted(
        (
            view
            for f in folds
            for view in f.view.all_tasks
            if not is_done(view) and view.task.due_date
        ),
        key=lambda view: view.task.due_date,
    )
    late = [view for view in open_views if view.overdue]
    due = {this_month: MonthGroup(f"{this_month:%B %Y}", month=this_month)}
    due[next_month] = MonthGroup(f"{next_month:%B %Y}", month=next_month)
    for view in open_views:
        group = due.get(view.task.due_date.replace(day=1))
        if group is not None and not view.overdue:
            group.views.append(view)
    return DueSoon(late, due[this_month], due[next_month])


_ITEM = (
    '\n  <li><a href="{prefix}{id}">{title}</a>\n'
    '    <span class="app-cell-note">{phase}{due}{rag}</span></li>'
)


def task_list(views: list[TaskView], phase_labels: dict[int, str] | None = None) -> Markup:
    """Tasks as a bordered list: each a link with its phase (when `phase_labels` is given:
    a list not under its phase's heading), due date and RAG. Drawn in Python, as the plan's
    rows are (app/plan/rows.py): every task of the site is listed, and a template macro
    per item was the larger part of the page's time."""
    prefix = str(escape(url_for("sites.plan.task", task_id=0)[:-1]))
    tags: dict[str | None, str] = {}
    items = []
    for view in views:
        task = view.task
        if view.rag not in tags:
            tags[view.rag] = str(rag_tag(view.rag))
        phase = f"{escape(phase_labels[task.phase])} · " if phase_labels else ""
        due = f"due {uk_date(task.due_date)} · " if task.due_date else ""
        items.append(
            _ITEM.format(
                prefix=prefix, id=task.id, title=escape(task.title), phase=phase, due=due,
                rag=tags[view.rag],
            )
        )  # fmt: skip
    return Markup(f'<ul class="nhsuk-list nhsuk-list--border">{"".join(items)}\n</ul>')
