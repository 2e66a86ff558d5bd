"""The demo and benchmark steps of the plan and gateways run and give sites at different stages."""

import random

from sqlalchemy import func, select

from app.core.dates import today
from app.demo import BenchContext, seed_demo
from app.extensions import db
from app.plan.demo import bench_tasks
from app.plan.models import Plan, Task, TaskComment
from app.sites.queries import current_phase_numbers


def test_seed_demo_gives_plans_and_gateways_at_different_stages(app) -> None:
    ctx = seed_demo()
    db.session.commit()
    ids = {key: site.id for key, site in ctx.sites.items()}
    phases = current_phase_numbers(list(ids.values()))
    assert phases[ids["loughshore"]] == 1
    assert phases[ids["riverside"]] == 2
    assert phases[ids["glenmoor"]] == 5 and phases[ids["meadowbank"]] == 6
    riverside_due = db.session.scalars(
        select(Task.due_date).where(
            Task.site_id == ids["riverside"], Task.status.notin_(("complete", "not_applicable"))
        )
    )
    assert any(due is not None and due < today() for due in riverside_due)  # some overdue
    assert db.session.scalar(select(func.count(TaskComment.id))) > 0
    assert db.session.scalar(select(func.count(Task.id)).where(Task.reported_rag.is_not(None)))


def test_bench_tasks(app, make_site) -> None:
    site = make_site()
    bench_tasks(BenchContext(site=site, tasks=150, rng=random.Random(3), today=today()))
    statuses = set(db.session.scalars(select(Task.status).where(Task.site_id == site.id)))
    assert db.session.scalar(select(func.count(Task.id))) == 150 and len(statuses) >= 4
    # A plan row too, or the plan page would show its empty state and the benchmark time nothing.
    assert db.session.scalar(select(func.count(Plan.id)).where(Plan.site_id == site.id)) == 1
