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

from sqlalchemy import and_, bindparam, func, or_, select, update

from app.extensions import db
from app.plan import rag
from app.plan.models import Task
from app.portfolio import dimensions
from app.portfolio.models import SiteTaskCounts

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

# Kept beside the counts: the due date of the site's longest-overdue open task.
OLDEST_OVERDUE = "oldest_overdue"


def tasks_subquery(today: date):  # noqa: ANN202 - SQL subquery
    """Each site's task counts, in two steps. First one row per (site, status, essential,
    effective RAG), the RAG being the plan's one rule as SQL (`app.plan.rag.effective_rag_sql`)
    and the grouping in the order of the roll-up index; then the sums the portfolio shows.
    Only the sites bound as `site_ids` (a list) are counted."""
    effective = rag.effective_rag_sql(today).label("rag")
    late = rag.rule_sql(rag.OVERDUE, today)
    long_late = Task.due_date < today - timedelta(dimensions.LONG_OVERDUE_DAYS)
    groups = (
        select(
            Task.site_id.label("site_id"),
            Task.status.label("status"),
            Task.essential.label("essential"),
            effective,
            func.count().label("n"),
            # COUNT(*) FILTER (WHERE ...): SQLite 3.30+ and PostgreSQL
            func.count().filter(late).label("late"),
            func.count().filter(long_late).label("long_late"),
            func.min(Task.due_date).filter(late).label("oldest_late"),
        )
        .where(Task.site_id.in_(bindparam("site_ids", expanding=True)))
        .group_by(Task.site_id, Task.status, Task.essential, effective)
        .subquery("task_groups")
    )
    g = groups.c
    open_group = g.status.notin_(rag.closed_statuses())

    def total(column, *conditions) -> object:  # noqa: ANN001 - SQL expressions
        return func.sum(column).filter(and_(*conditions))

    applicable = g.rag.is_not(None)
    complete = g.rag == "complete"
    return (
        select(
            g.site_id,
            total(g.n, applicable).label("applicable"),
            total(g.n, complete).label("done"),
            total(g.n, applicable, g.essential).label("ess_applicable"),
            total(g.n, complete, g.essential).label("ess_done"),
            total(g.late, open_group).label("overdue"),
            total(g.n, g.rag == "red", g.essential).label("ess_red"),
            total(g.n, g.rag.in_(("red", "amber"))).label("red_amber"),
            total(g.long_late, open_group, g.essential).label("ess_long"),
            func.min(g.oldest_late).filter(open_group).label(OLDEST_OVERDUE),
        )
        .group_by(g.site_id)
        .subquery("t")
    )


def out_of_date(today: date):  # noqa: ANN201 - SQL expression
    """True for a site whose kept counts no longer hold (see the module docstring)."""
    kept = SiteTaskCounts
    return or_(
        kept.counted_version.is_distinct_from(kept.tasks_version),
        kept.counted_on.is_distinct_from(today),
    )


def recount(versions: dict[int, int], today: date) -> dict[int, dict[str, int | date | None]]:
    """Count the tasks of these sites again (site id → the `tasks_version` read before), keep
    the counts, and return them by site, each by its `COUNT_COLUMNS` name, with the
    `OLDEST_OVERDUE` due date. Two statements, however many sites.

    The counts are saved at once, whatever the request goes on to do: they are shared by
    every view and every worker, and hold no one's edit."""
    t = tasks_subquery(today)
    counted = {
        row.site_id: {
            **{name: int(getattr(row, name) or 0) for name in COUNT_COLUMNS},
            OLDEST_OVERDUE: getattr(row, OLDEST_OVERDUE),
        }
        for row in db.session.execute(
            select(t.c.site_id, *(t.c[name] for name in COUNT_COLUMNS), t.c[OLDEST_OVERDUE]),
            {"site_ids": list(versions)},
        )
    }
    zero = {**dict.fromkeys(COUNT_COLUMNS, 0), OLDEST_OVERDUE: None}
    counts = {site_id: counted.get(site_id, zero) for site_id in versions}
    keep(
        {
            site_id: {"counted_version": versions[site_id], "counted_on": today, **counts[site_id]}
            for site_id in versions
        }
    )
    return counts


def keep(values: dict[int, dict[str, object]]) -> None:
    """Save these values in each site's `site_task_counts` row (site id → column → value,
    the same columns for every site): one statement, committed at once, since kept values
    are shared by every view and worker and hold no one's edit. In site order, so two views
    saving at once take the rows' locks in one order."""
    if not values:
        return
    table = SiteTaskCounts.__table__
    columns = next(iter(values.values())).keys()
    statement = (
        update(table)
        .where(table.c.site_id == bindparam("kept_site_id"))
        .values(**{name: bindparam(f"kept_{name}") for name in columns})
    )
    rows = [
        {"kept_site_id": site_id, **{f"kept_{name}": values[site_id][name] for name in columns}}
        for site_id in sorted(values)
    ]
    db.session.execute(statement, rows)
    db.session.commit()


def recount_out_of_date(today: date) -> int:
    """Count again every site whose kept counts no longer hold on `today`; the daily
    reminders job (`flask send-reminders`) runs it, so the day's first portfolio view does
    not pay for counting every site (#34). Three statements; returns how many sites."""
    versions = dict(
        db.session.execute(
            select(SiteTaskCounts.site_id, SiteTaskCounts.tasks_version).where(out_of_date(today))
        ).all()
    )
    if versions:
        recount(versions, today)
    return len(versions)
