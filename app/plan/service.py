"""Plan rules: creating a plan from the library, changing tasks, and what pages read.

Plain values in, no `request`. Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.errors import ServiceError
from app.extensions import db
from app.people.models import Person
from app.plan import rag as rag_rules
from app.plan.models import RAG_VALUES, SERVICE_KINDS, TASK_STATUSES, Plan, Task, TaskComment
from app.plan.schedule import schedule
from app.sites.models import Membership, Site
from app.toolkit import get_toolkit


def plan_for(site: Site) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.site_id == site.id))


def create_plan(site: Site, service_kind: str, start: date | None) -> Plan:
    """A plan with the library's tasks for this kind of service, dated phase by phase."""
    if service_kind not in SERVICE_KINDS:
        raise ServiceError("Choose a new service or improving an existing one.", "service_kind")
    if start is None:
        raise ServiceError("Enter the date the project starts.", "start_date")
    if plan_for(site) is not None:
        raise ServiceError("This site already has a plan.")
    plan = Plan(site_id=site.id, service_kind=service_kind, start_date=start)
    site.start_date = start  # one start date: the site's and its plan's are the same
    db.session.add(plan)
    for item in schedule(list(get_toolkit().tasks_for(service_kind, site.nation)), start):
        t = item.template
        db.session.add(
            Task(
                site_id=site.id,
                phase=t.phase,
                position=item.position,
                library_key=t.key,
                title=t.title,
                guidance=t.guidance,
                start_date=item.start,
                due_date=item.due,
                essential=t.essential,
                milestone=t.milestone,
            )
        )
    db.session.flush()
    return plan


def owner_choices(site: Site) -> list[tuple[int, str]]:
    """People of the site who can own a task (erased people cannot)."""
    rows = db.session.execute(
        select(Person.id, Person.name)
        .where(Person.site_id == site.id, Person.erased.is_(False))
        .order_by(Person.name)
    ).all()
    return [(row.id, row.name) for row in rows]


# What a task's pages show besides the task: load with get_for_site_or_404(Task, id, *TASK_PAGE)
TASK_PAGE = (joinedload(Task.owner), joinedload(Task.predecessor))


@dataclass
class TaskChanges:
    """Fields a form may change; `None` for a field the form did not carry."""

    title: str | None = None
    guidance: str | None = None
    phase: int | None = None
    owner_id: int | None = None
    start_date: date | None = None
    due_date: date | None = None
    completed_date: date | None = None
    status: str | None = None
    essential: bool | None = None
    milestone: bool | None = None
    predecessor_id: int | None = None
    reported_rag: str | None = None
    reported_rag_reason: str | None = None
    notes: str | None = None
    # Fields that were on the form, so an empty value there means "clear it".
    present: set[str] = field(default_factory=set)


def _check(site: Site, task: Task | None, values: dict, today: date) -> None:
    title = values.get("title")
    if title is not None and not title.strip():
        raise ServiceError("Enter the task's title.", "title")
    if values.get("phase") not in get_toolkit().phases_by_number:
        raise ServiceError("Choose a phase from 0 (Manage and Lead) to 6.", "phase")
    if values.get("status") not in TASK_STATUSES:
        raise ServiceError("Choose a status.", "status")
    start, due = values.get("start_date"), values.get("due_date")
    if start and due and due < start:
        raise ServiceError("The due date must be on or after the start date.", "due_date")
    completed = values.get("completed_date")
    if completed and completed > today:
        raise ServiceError("The completed date cannot be in the future.", "completed_date")
    owner_id = values.get("owner_id")
    if owner_id is not None and owner_id not in {pid for pid, _ in owner_choices(site)}:
        raise ServiceError("Choose an owner from this site's people.", "owner_id")
    reported = values.get("reported_rag")
    if reported and reported not in RAG_VALUES:
        raise ServiceError("Choose red, amber or green.", "reported_rag")
    if reported and not (values.get("reported_rag_reason") or "").strip():
        raise ServiceError("Say why you report a different RAG.", "reported_rag_reason")
    predecessor_id = values.get("predecessor_id")
    if predecessor_id is not None:
        if task is not None and predecessor_id == task.id:
            raise ServiceError("A task cannot come after itself.", "predecessor_id")
        found = db.session.scalar(
            select(Task.id).where(Task.id == predecessor_id, Task.site_id == site.id)
        )
        if found is None:
            raise ServiceError("Choose a task of this plan.", "predecessor_id")


def _merged(task: Task | None, changes: TaskChanges) -> dict:
    values = {}
    for f in fields(TaskChanges):
        if f.name == "present":
            continue
        new = getattr(changes, f.name)
        if f.name in changes.present or new is not None:
            values[f.name] = new
        else:
            values[f.name] = getattr(task, f.name) if task is not None else None
    if values.get("status") is None:
        values["status"] = "not_started"
    return values


def _apply(task: Task, values: dict, today: date) -> None:
    for key, value in values.items():
        if key in ("title", "guidance", "reported_rag_reason", "notes"):
            value = (value or "").strip()
        if key in ("essential", "milestone"):
            value = bool(value)
        setattr(task, key, value)
    if task.status == "complete" and task.completed_date is None:
        task.completed_date = today
    if task.status != "complete":
        task.completed_date = None
    if not task.reported_rag:
        task.reported_rag, task.reported_rag_reason = None, ""


def add_task(site: Site, changes: TaskChanges, today: date) -> Task:
    values = _merged(None, changes)
    _check(site, None, values, today)
    last = db.session.scalar(
        select(func.max(Task.position)).where(
            Task.site_id == site.id, Task.phase == values["phase"]
        )
    )
    task = Task(site_id=site.id, position=(last or 0) + 1)
    _apply(task, values, today)
    db.session.add(task)
    db.session.flush()
    return task


def update_task(task: Task, changes: TaskChanges, today: date) -> Task:
    values = _merged(task, changes)
    _check(db.session.get(Site, task.site_id), task, values, today)
    if values["phase"] != task.phase:  # moved: it goes to the end of its new phase
        last = db.session.scalar(
            select(func.max(Task.position)).where(
                Task.site_id == task.site_id, Task.phase == values["phase"]
            )
        )
        task.position = (last or 0) + 1
    _apply(task, values, today)
    db.session.flush()
    return task


def move_task(task: Task, direction: str) -> None:
    """Swap the task with its neighbour above or below within its phase."""
    siblings = list(
        db.session.scalars(
            select(Task)
            .where(Task.site_id == task.site_id, Task.phase == task.phase)
            .order_by(Task.position, Task.id)
        )
    )
    for number, sibling in enumerate(siblings):
        sibling.position = number  # normalise first: library tasks may share positions
    index = siblings.index(task)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index].position, siblings[other].position = other, index
    db.session.flush()


def delete_task(task: Task) -> None:
    """Deleted for good; the history keeps its 'deleted' row with the title."""
    db.session.execute(
        Task.__table__.update().where(Task.predecessor_id == task.id).values(predecessor_id=None)
    )
    db.session.delete(task)
    db.session.flush()


def add_comment(task: Task, body: str, author: User) -> TaskComment:
    if not (body or "").strip():
        raise ServiceError("Write a comment before sending it.", "body")
    comment = TaskComment(
        site_id=task.site_id, task_id=task.id, author_id=author.id, body=body.strip()
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_with_authors(task: Task) -> list[tuple[TaskComment, str | None]]:
    return list(
        db.session.execute(
            select(TaskComment, User.name)
            .outerjoin(User, User.id == TaskComment.author_id)
            .where(TaskComment.task_id == task.id, TaskComment.site_id == task.site_id)
            .order_by(TaskComment.created_at, TaskComment.id)
        )
    )


def my_open_tasks(user: User, today: date) -> list[tuple[Task, Site]]:
    """Open tasks whose owner is linked to this user, on sites they belong to; overdue first."""
    rows = db.session.execute(
        select(Task, Site)
        .join(Person, Person.id == Task.owner_id)
        .join(Site, Site.id == Task.site_id)
        .join(Membership, (Membership.site_id == Site.id) & (Membership.user_id == user.id))
        .where(Person.user_id == user.id, Task.status.notin_(("complete", "not_applicable")))
        .options(joinedload(Task.owner))
    ).all()

    def order(row: tuple[Task, Site]) -> tuple:
        task, site = row
        overdue = task.due_date is not None and task.due_date < today
        return (not overdue, task.due_date or date.max, site.name, task.title)

    return sorted(((t, s) for t, s in rows), key=order)


def rag_of(task: Task, today: date) -> str | None:
    return rag_rules.task_rag(task, today)


def plan_for_new_site(site: Site) -> Plan:
    """The plan a new site starts with, from the start date and status its form asked for."""
    from app.sites.service import plan_kind

    return create_plan(site, plan_kind(site.service_status), site.start_date)
