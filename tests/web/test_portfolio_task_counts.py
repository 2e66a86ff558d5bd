"""The portfolio's task counts (grouped in SQL) equal the counts the plan's own rules give
task by task in Python (`app.plan.rag`'s oracle), on every kind of task."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.plan.models import TASK_STATUSES, Task
from app.plan.rag import DUE_SOON_DAYS, derived_rag, effective_rag
from app.portfolio.dimensions import LONG_OVERDUE_DAYS
from app.portfolio.task_counts import COUNT_COLUMNS, tasks_subquery
from app.sites.models import Site


def _task_by_task(today: date) -> dict[int, tuple[int, ...]]:
    """The counts as the plan's rules give them in Python, one task at a time."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(COUNT_COLUMNS))
    for task in db.session.scalars(select(Task)):
        rag = effective_rag(derived_rag(task.status, None, task.due_date, today), task.reported_rag)
        is_open = rag not in (None, "complete")
        overdue = is_open and task.due_date is not None and task.due_date < today
        long_ago = task.due_date is not None and task.due_date < today - timedelta(
            LONG_OVERDUE_DAYS
        )
        flags = (
            rag is not None,
            rag == "complete",
            rag is not None and task.essential,
            rag == "complete" and task.essential,
            overdue,
            rag == "red" and task.essential,
            rag in ("red", "amber"),
            overdue and task.essential and long_ago,
        )
        row = counts[task.site_id]
        for i, flag in enumerate(flags):
            row[i] += bool(flag)
    return {site_id: tuple(row) for site_id, row in counts.items()}


def _grouped(today: date) -> dict[int, tuple[int, ...]]:
    t = tasks_subquery(today)
    every_site = {"site_ids": db.session.scalars(select(Site.id)).all()}
    columns = select(t.c.site_id, *(t.c[name] for name in COUNT_COLUMNS))
    rows = db.session.execute(columns, every_site)
    return {row.site_id: tuple(int(getattr(row, n) or 0) for n in COUNT_COLUMNS) for row in rows}


def test_grouped_counts_equal_the_plan_rules_for_every_kind_of_task(make_site) -> None:
    on = date(2026, 3, 10)
    days = (
        None,
        -LONG_OVERDUE_DAYS - 1,
        -LONG_OVERDUE_DAYS,
        -1,
        0,
        1,
        DUE_SOON_DAYS,
        DUE_SOON_DAYS + 1,
        60,
    )
    kinds = list(
        itertools.product(TASK_STATUSES, (False, True), days, (None, "green", "amber", "red"))
    )
    first, second, empty = (
        make_site(name="Every kind"),
        make_site(name="Some"),
        make_site(name="None"),
    )
    for i, (status, essential, offset, reported) in enumerate(kinds):
        for site in (first, second) if i % 3 == 0 else (first,):
            db.session.add(
                Task(
                    site_id=site.id,
                    phase=1,
                    title=f"Task {i}",
                    status=status,
                    essential=essential,
                    due_date=None if offset is None else on + timedelta(days=offset),
                    reported_rag=reported,
                    reported_rag_reason="Reported" if reported else "",
                )
            )
    db.session.commit()
    expected = _task_by_task(on)
    assert set(expected) == {first.id, second.id}  # a site without tasks has no row
    assert all(count for count in expected[first.id])  # every count is exercised
    for moment in (on, on - timedelta(days=DUE_SOON_DAYS), on + timedelta(days=LONG_OVERDUE_DAYS)):
        assert _grouped(moment) == _task_by_task(moment)
    assert empty.id not in _grouped(on)
