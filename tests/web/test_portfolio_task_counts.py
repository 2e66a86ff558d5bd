"""The portfolio's task counts (grouped by status first, for speed) equal the counts the
plan's own rules give task by task (`app.plan.rag.sql_flags`), on every kind of task."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from app.extensions import db
from app.plan.models import TASK_STATUSES, Task
from app.plan.rag import DUE_SOON_DAYS, sql_flags
from app.portfolio.dimensions import LONG_OVERDUE_DAYS
from app.portfolio.task_counts import COUNT_COLUMNS, tasks_subquery
from app.sites.models import Site


def _task_by_task(today: date) -> dict[int, tuple[int, ...]]:
    """The counts as the plan's rules give them, one condition per task."""
    overdue, red, amber = sql_flags(today)
    applicable = Task.status != "not_applicable"
    complete = Task.status == "complete"
    long_ago = Task.due_date < today - timedelta(LONG_OVERDUE_DAYS)
    conditions = (
        applicable,
        complete,
        and_(applicable, Task.essential),
        and_(complete, Task.essential),
        overdue,
        and_(red, Task.essential),
        red | amber,
        and_(overdue, Task.essential, long_ago),
    )
    query = select(Task.site_id, *(func.count().filter(c) for c in conditions)).group_by(
        Task.site_id
    )
    return {row[0]: tuple(row[1:]) for row in db.session.execute(query)}


def _grouped(today: date) -> dict[int, tuple[int, ...]]:
    t = tasks_subquery(today)
    every_site = {"site_ids": db.session.scalars(select(Site.id)).all()}
    columns = select(t.c.site_id, *(t.c[name] for name in COUNT_COLUMNS))
    rows = db.session.execute(columns, every_site)
    return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in rows}


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
