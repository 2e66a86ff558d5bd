"""Demo plans at different stages, and the plan's share of the benchmark load."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from app.extensions import db
from app.people.models import Person
from app.plan.models import Plan, Task, TaskComment
from app.plan.service import create_plan
from app.sites.demo import BenchContext, DemoContext
from app.toolkit import get_toolkit

# site key: (service kind, months since the start, phases mostly done before the current one)
DEMO_PLANS = {
    "riverside": ("new", 5, 1),
    "loughshore": ("new", 1, 0),
    "afon": ("improving", 9, 2),
    "glenmoor": ("improving", 14, 4),
    "meadowbank": ("improving", 20, 5),
}


def _people(site_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Person.id).where(Person.site_id == site_id, Person.erased.is_(False))
        )
    )


def demo_plans(ctx: DemoContext) -> None:
    for key, (kind, months, done_phases) in DEMO_PLANS.items():
        site = ctx.sites.get(key)
        if site is None:
            continue
        start = ctx.today - timedelta(days=30 * months)
        create_plan(site, kind, start)
        owners = _people(site.id)
        tasks = list(
            db.session.scalars(
                select(Task).where(Task.site_id == site.id).order_by(Task.phase, Task.position)
            )
        )
        for number, task in enumerate(tasks):
            if owners:
                task.owner_id = owners[number % len(owners)]
            finished = 0 < task.phase <= done_phases
            if finished or (task.phase == 0 and task.due_date and task.due_date < ctx.today):
                # Most earlier work is done; the odd task was judged not to apply.
                if ctx.rng.random() < 0.06 and not task.essential:
                    task.status = "not_applicable"
                else:
                    task.status = "complete"
                    task.completed_date = min(task.due_date or ctx.today, ctx.today)
            elif task.start_date and task.start_date <= ctx.today:
                roll = ctx.rng.random()
                task.status = (
                    "blocked" if roll < 0.1 else "in_progress" if roll < 0.75 else "not_started"
                )
                late = task.due_date is not None and task.due_date < ctx.today
                if (late and ctx.rng.random() < 0.6) or (roll > 0.9 and not late):
                    # Most past-due work got done; a few overdue tasks are left to chase.
                    task.status = "complete"
                    task.completed_date = min(task.due_date or ctx.today, ctx.today)
        open_now = [t for t in tasks if t.status in ("in_progress", "blocked")]
        for task in open_now[:2]:
            task.reported_rag = "green"
            task.reported_rag_reason = "The work is under way and the team expects to catch up."
        if open_now:
            author = ctx.users.get("pm") or next(iter(ctx.users.values()))
            db.session.add(
                TaskComment(
                    site_id=site.id,
                    task_id=open_now[0].id,
                    author_id=author.id,
                    body="Discussed at the project team meeting; waiting on the data analyst.",
                )
            )
    db.session.flush()


STATUS_MIX = (
    ["complete"] * 4 + ["in_progress"] * 3 + ["not_started"] * 3 + ["blocked", "not_applicable"]
)


def bench_tasks(ctx: BenchContext) -> None:
    """ctx.tasks tasks for a benchmark site: a realistic mix of phases, statuses and dates."""
    if db.session.scalar(select(Plan.id).where(Plan.site_id == ctx.site.id)) is None:
        db.session.add(
            Plan(
                site_id=ctx.site.id,
                service_kind=ctx.rng.choice(["new", "improving"]),
                start_date=ctx.today - timedelta(days=ctx.rng.randint(30, 400)),
            )
        )
    owners = _people(ctx.site.id)
    templates = get_toolkit().tasks
    rows = []
    for number in range(ctx.tasks):
        template = templates[number % len(templates)]
        start = ctx.today - timedelta(days=ctx.rng.randint(-120, 400))
        due = start + timedelta(weeks=max(template.duration_weeks, 1))
        status = ctx.rng.choice(STATUS_MIX)
        rows.append(
            {
                "site_id": ctx.site.id,
                "phase": template.phase,
                "position": number,
                "library_key": template.key,
                "title": template.title,
                "guidance": template.guidance,
                "owner_id": owners[number % len(owners)] if owners else None,
                "start_date": start,
                "due_date": due,
                "completed_date": min(due, ctx.today) if status == "complete" else None,
                "status": status,
                "essential": template.essential,
                "milestone": template.milestone,
                "reported_rag": "green" if number % 37 == 0 else None,
                "reported_rag_reason": "Judged on track by the team." if number % 37 == 0 else "",
                "notes": "",
                "version": 1,
            }
        )
    # The benchmark's load, not a person's edits, so no per-row history. With RETURNING,
    # SQLAlchemy sends the rows as one statement ("insertmanyvalues"), not one a row, as an
    # import writes them, so the site's kept counts move on once.
    if rows:
        db.session.execute(insert(Task.__table__).returning(Task.__table__.c.id), rows)
