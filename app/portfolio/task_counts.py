"""Each site's task counts for the portfolio, kept in `site_task_counts` between views.

Counting the tasks of every site on every view was most of the portfolio's time (about
30 ms of SQL over the 30,000 tasks of 200 sites). Instead each site's counts are kept with
two marks: `tasks_version`, which database triggers raise whenever one of the site's tasks
is added, changed or removed (however it is written: forms, imports, merges, SQL), and the
version and day the counts were taken at. The portfolio statement reads the kept counts and
says which sites are out of date (tasks changed since, or counted on another day, since
"overdue" and "due soon" move with the date); only those are counted again, in one
statement, and saved for every worker.

The version kept is the one read before counting, so a task saved while a count is under
way leaves the site marked out of date, and it is counted again on the next view.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, bindparam, case, func, or_, select, update

from app.extensions import db
from app.plan.models import Task
from app.plan.rag import DUE_SOON_DAYS
from app.portfolio import dimensions
from app.portfolio.models import SiteTaskCounts

# Tasks no longer open: what `app.plan.rag.sql_flags` leaves out of "overdue", red and amber.
CLOSED = ("complete", "not_applicable")
COUNT_COLUMNS = (
    "applicable",
    "done",
    "ess_applicable",
    "ess_done",
    "overdue",
    "ess_red",
    "red_amber",
    "ess_long",
)


def count_if(condition) -> object:  # noqa: ANN001 - SQL expression
    # COUNT(*) FILTER (WHERE ...) (SQLite 3.30+, PostgreSQL): a third faster than summing a
    # CASE over the 30,000 tasks of 200 sites.
    return func.count().filter(condition)


def tasks_subquery(today: date):  # noqa: ANN202 - SQL subquery
    """Each site's task counts, in two steps. First one row per (site, status, essential),
    the order of the roll-up index, so grouping needs no sort; inside such a group only the
    dates and the reported RAG vary, so each task meets five plain tests instead of eight
    compound rules. Then the status parts of the rules in `app.plan.rag` (`sql_flags`: open,
    blocked, not started) are applied to whole groups. A test checks the counts equal those
    of `sql_flags` task by task. Only the sites bound as `site_ids` (a list) are counted."""
    late = Task.due_date < today
    flagged = Task.reported_rag.in_(("red", "amber"))
    groups = (
        select(
            Task.site_id.label("site_id"),
            Task.status.label("status"),
            Task.essential.label("essential"),
            func.count().label("n"),
            count_if(late).label("late"),
            count_if(Task.due_date < today - timedelta(dimensions.LONG_OVERDUE_DAYS)).label(
                "long_late"
            ),
            # red: late, or reported red (an open task's, counted below)
            count_if(late | (Task.reported_rag == "red")).label("red"),
            # red or amber for a task in progress; not started, it is also amber when due soon
            count_if(late | flagged).label("red_amber"),
            count_if((Task.due_date <= today + timedelta(DUE_SOON_DAYS)) | flagged).label(
                "due_soon"
            ),
        )
        .where(Task.site_id.in_(bindparam("site_ids", expanding=True)))
        .group_by(Task.site_id, Task.status, Task.essential)
        .subquery("task_groups")
    )
    status, essential = groups.c.status, groups.c.essential
    open_group = status.notin_(CLOSED)
    applicable = status != "not_applicable"
    complete = status == "complete"

    def total(column, *conditions) -> object:  # noqa: ANN001 - SQL expressions
        return func.sum(column).filter(and_(*conditions))

    red_or_amber = case(
        (status == "blocked", groups.c.n),  # blocked is amber at least
        (status == "not_started", groups.c.due_soon),
        else_=groups.c.red_amber,
    )
    return (
        select(
            groups.c.site_id,
            total(groups.c.n, applicable).label("applicable"),
            total(groups.c.n, complete).label("done"),
            total(groups.c.n, applicable, essential).label("ess_applicable"),
            total(groups.c.n, complete, essential).label("ess_done"),
            total(groups.c.late, open_group).label("overdue"),
            total(groups.c.red, open_group, essential).label("ess_red"),
            total(red_or_amber, open_group).label("red_amber"),
            total(groups.c.long_late, open_group, essential).label("ess_long"),
        )
        .group_by(groups.c.site_id)
        .subquery("t")
    )


def out_of_date(today: date):  # noqa: ANN201 - SQL expression
    """True for a site whose kept counts no longer hold (see the module docstring)."""
    kept = SiteTaskCounts
    return or_(
        kept.counted_version.is_distinct_from(kept.tasks_version),
        kept.counted_on.is_distinct_from(today),
    )


def recount(versions: dict[int, int], today: date) -> dict[int, tuple[int, ...]]:
    """Count the tasks of these sites again (site id → the `tasks_version` read before), keep
    the counts, and return them in `COUNT_COLUMNS` order. Two statements, however many sites.

    The counts are saved at once, whatever the request goes on to do: they are shared by
    every view and every worker, and hold no one's edit."""
    t = tasks_subquery(today)
    counted = {
        row[0]: tuple(int(v or 0) for v in row[1:])
        for row in db.session.execute(
            select(t.c.site_id, *(t.c[name] for name in COUNT_COLUMNS)),
            {"site_ids": list(versions)},
        )
    }
    zero = (0,) * len(COUNT_COLUMNS)
    counts = {site_id: counted.get(site_id, zero) for site_id in versions}
    table = SiteTaskCounts.__table__
    keep = (
        update(table)
        .where(table.c.site_id == bindparam("kept_site_id"))
        .values(
            counted_version=bindparam("kept_version"),
            counted_on=bindparam("kept_on"),
            **{name: bindparam(f"kept_{name}") for name in COUNT_COLUMNS},
        )
    )
    # In site order, so two views saving counts at once take the rows' locks in one order.
    rows = []
    for site_id in sorted(versions):
        row = {"kept_site_id": site_id, "kept_version": versions[site_id], "kept_on": today}
        row.update(zip((f"kept_{name}" for name in COUNT_COLUMNS), counts[site_id], strict=True))
        rows.append(row)
    db.session.execute(keep, rows)
    db.session.commit()
    return counts
