"""What the plan page, the timeline and the overview show: tasks grouped by phase.

Every task of the site is loaded once (owners joined), the phase summaries are worked out
over all of them, and filters only decide which rows are listed. The page therefore runs
the same queries whatever the number of tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import ColumnElement

from app.core.numbers import whole_number
from app.extensions import db
from app.people.models import Person
from app.plan import rag as rules
from app.plan.models import TASK_STATUSES, Task
from app.sites.models import Site
from app.toolkit import Phase, get_toolkit
from app.toolkit.vocabulary import RAG_LABELS

RAG_FILTERS = dict(RAG_LABELS)


@dataclass(frozen=True, slots=True)
class PlanOwner:
    name: str
    erased: bool


@dataclass(slots=True)
class PlanTask:
    """A task as the plan page reads it: the columns it lists, edits, filters and rolls up.

    Plain values from one SELECT: loading 300 full ORM tasks (every column, identity map,
    change tracking) cost more than drawing their rows (issue #23). The attribute names are
    the model's, so the rules, filters and templates read either."""

    id: int
    phase: int
    title: str
    notes: str
    status: str
    owner_id: int | None
    start_date: date | None
    due_date: date | None
    essential: bool
    milestone: bool
    reported_rag: str | None
    version: int
    owner: PlanOwner | None


@dataclass
class TaskView:
    task: Task | PlanTask
    rag: str | None  # derived from the dates
    effective: str | None  # the worse of derived and reported, used in roll-ups
    rosier: bool  # the reported RAG is better than the dates say
    overdue: bool

    @property
    def status_label(self) -> str:
        return TASK_STATUSES.get(self.task.status, self.task.status)


@dataclass
class PhaseView:
    phase: Phase
    tasks: list[TaskView] = field(default_factory=list)  # the ones the filters let through
    all_tasks: list[TaskView] = field(default_factory=list)
    # The summaries below are read after the board is built (pages read each several times).

    @cached_property
    def applicable(self) -> int:
        return sum(1 for t in self.all_tasks if t.rag is not None)

    @cached_property
    def done(self) -> int:
        return sum(1 for t in self.all_tasks if t.rag == "complete")

    @cached_property
    def rag(self) -> str | None:
        return rules.roll_up(
            rules.RolledTask(t.effective, t.task.essential) for t in self.all_tasks
        )

    @cached_property
    def start(self) -> date | None:
        return min((t.task.start_date for t in self.all_tasks if t.task.start_date), default=None)

    @cached_property
    def end(self) -> date | None:
        return max((t.task.due_date for t in self.all_tasks if t.task.due_date), default=None)


@dataclass
class Filters:
    owner: str = ""  # a person id, "none" or ""
    status: str = ""
    rag: str = ""
    phase: str = ""
    overdue: bool = False
    due_soon: bool = False
    essential: bool = False
    q: str = ""  # words every listed task contains (title, notes or owner's name)

    @classmethod
    def from_args(cls, args) -> Filters:  # noqa: ANN001 - a MultiDict
        def flag(name: str) -> bool:
            return args.get(name, "") in ("1", "y", "on", "true")

        return cls(
            owner=args.get("owner", ""),
            status=args.get("status", "") if args.get("status", "") in TASK_STATUSES else "",
            rag=args.get("rag", "") if args.get("rag", "") in RAG_FILTERS else "",
            phase=args.get("phase", "") if whole_number(args.get("phase"), 1, 99) else "",
            overdue=flag("overdue"),
            due_soon=flag("due_soon"),
            essential=flag("essential"),
            q=" ".join(args.get("q", "").split())[:100],
        )

    @property
    def active(self) -> bool:
        return any(vars(self).values())

    def args(self) -> dict[str, str]:
        """The active filters as URL arguments, for links that keep the current view."""
        return {k: ("1" if v is True else v) for k, v in vars(self).items() if v}

    def query_string(self) -> str:
        return urlencode(self.args())

    def keeps(self, view: TaskView, today: date) -> bool:
        task = view.task
        if self.owner == "none" and task.owner_id is not None:
            return False
        if self.owner not in ("", "none") and str(task.owner_id) != self.owner:
            return False
        if self.status and task.status != self.status:
            return False
        if self.rag and view.rag != self.rag:
            return False
        if self.phase and str(task.phase) != self.phase:
            return False
        if self.overdue and not view.overdue:
            return False
        if self.due_soon and not (
            task.due_date
            and today <= task.due_date <= today + timedelta(rules.DUE_SOON_DAYS)
            and task.status not in ("complete", "not_applicable")
        ):
            return False
        if self.essential and not task.essential:
            return False
        return not self.q or matches_text(task, self.q)


def matches_text(task: Task | PlanTask, q: str) -> bool:
    """Every word of `q` appears in the task's title, notes or owner's name (any case)."""
    owner = task.owner.name if task.owner is not None and not task.owner.erased else ""
    haystack = f"{task.title} {task.notes} {owner}".casefold()
    return all(word in haystack for word in q.casefold().split())


def task_view(task: Task | PlanTask, today: date) -> TaskView:
    derived = rules.task_rag(task, today)
    return TaskView(
        task=task,
        rag=derived,
        effective=rules.effective_rag(derived, task.reported_rag),
        rosier=rules.is_rosier(task.reported_rag, derived),
        overdue=derived == "red" and task.due_date is not None and task.due_date < today,
    )


def load_tasks(site: Site) -> list[Task]:
    return list(
        db.session.scalars(
            select(Task)
            .where(Task.site_id == site.id)
            .options(joinedload(Task.owner))
            .order_by(Task.phase, Task.position, Task.id)
        )
    )


def load_plan_tasks(site: Site) -> list[PlanTask]:
    """The site's tasks in plan order for the plan page, owners' names joined (one query)."""
    rows = db.session.execute(
        select(
            Task.id,
            Task.phase,
            Task.title,
            Task.notes,
            Task.status,
            Task.owner_id,
            Task.start_date,
            Task.due_date,
            Task.essential,
            Task.milestone,
            Task.reported_rag,
            Task.version,
            Person.name,
            Person.erased,
        )
        .outerjoin(Person, Person.id == Task.owner_id)
        .where(Task.site_id == site.id)
        .order_by(Task.phase, Task.position, Task.id)
    )
    owners: dict[int, PlanOwner] = {}  # one object per person, however many tasks they own
    tasks = []
    for *columns, owner_name, owner_erased in rows:
        owner_id = columns[5]
        owner = None
        if owner_id is not None:
            owner = owners.get(owner_id)
            if owner is None:
                owner = owners[owner_id] = PlanOwner(owner_name, owner_erased)
        tasks.append(PlanTask(*columns, owner))
    return tasks


def build_board(
    tasks: list[Task] | list[PlanTask],
    today: date,
    filters: Filters | None = None,
    keep: set[int] | None = None,
) -> list[PhaseView]:
    """Phases 1-6 then Manage and Lead; `keep` lists tasks shown whatever the filters."""
    filters, keep = filters or Filters(), keep or set()
    phases = {p.number: PhaseView(p) for p in get_toolkit().phases}
    for task in tasks:
        view = task_view(task, today)
        phase = phases.get(task.phase)
        if phase is None:
            continue
        phase.all_tasks.append(view)
        if task.id in keep or filters.keeps(view, today):
            phase.tasks.append(view)
    ordered = [phases[n] for n in sorted(phases) if n != 0]
    return [*ordered, phases[0]] if 0 in phases else ordered


def site_rag(board: list[PhaseView]) -> str | None:
    return rules.roll_up(
        rules.RolledTask(t.effective, t.task.essential) for p in board for t in p.all_tasks
    )


def overview_facts(site_id: int) -> dict[str, ColumnElement]:
    """The plan panel's facts: the current phase, when the gateways feature gives it as SQL."""
    from app.core.registry import registry

    phase_fact = registry().current_phase_fact
    return {"phase": phase_fact(site_id)} if phase_fact is not None else {}


def overview_panel(site: Site, facts: dict[str, Any]) -> dict:
    """The overview's plan panel: current phase, site RAG, next steps and overdue tasks.

    One query (the site's tasks, owners not needed) beside the facts."""
    from app.core.dates import today as uk_today
    from app.sites.queries import current_phase_numbers

    today = uk_today()
    # rows of the columns the RAG rules and the panel read, not Task objects: an overview
    # looks at every task of the site and building 300 ORM objects was most of its time
    tasks = list(
        db.session.execute(
            select(
                Task.id,
                Task.title,
                Task.phase,
                Task.status,
                Task.start_date,
                Task.due_date,
                Task.reported_rag,
                Task.essential,
            )
            .where(Task.site_id == site.id)
            .order_by(Task.phase, Task.position, Task.id)
        )
    )
    board = build_board(tasks, today)
    views = [t for p in board for t in p.all_tasks]
    open_views = [t for t in views if t.rag not in (None, "complete")]
    dated = sorted(
        (t for t in open_views if t.task.due_date and not t.overdue), key=lambda t: t.task.due_date
    )
    overdue = sorted((t for t in open_views if t.overdue), key=lambda t: t.task.due_date)
    phase_number = facts.get("phase")
    if phase_number is None:  # no phase fact registered: ask the rule (one more query)
        phase_number = current_phase_numbers([site.id]).get(site.id, 1)
    return {
        "has_plan": bool(tasks),
        "phase": get_toolkit().phase(phase_number),
        "rag": site_rag(board),
        "next_steps": dated[:5],
        "overdue": overdue,
    }
