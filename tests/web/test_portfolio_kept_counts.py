"""The portfolio's kept task counts (`app.portfolio.task_counts`): every change to a site's
tasks, however it is written, marks the site out of date; the next view counts that site
again and no other; counts taken on another day are taken again, since "overdue" moves
with the date; a count racing a task change is never taken as current."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Column, delete, func, insert, select, text, update
from sqlalchemy.sql import visitors

from app.core.audit import CHANGE_ACTIONS, AuditEvent
from app.core.dates import today
from app.extensions import db
from app.plan.models import Task
from app.portfolio import task_counts
from app.portfolio.models import COUNTED_COLUMNS, SiteTaskCounts
from app.portfolio.service import portfolio_rows
from app.portfolio.statement import rows_query
from app.sites.models import Site
from tests.conftest import sign_in


def _versions(site: Site) -> tuple[int, int | None] | None:
    row = db.session.execute(
        select(SiteTaskCounts.tasks_version, SiteTaskCounts.counted_version).where(
            SiteTaskCounts.site_id == site.id
        )
    ).one_or_none()
    return None if row is None else tuple(row)


def _tasks_version(site: Site) -> int:
    return _versions(site)[0]


def test_every_kind_of_change_to_a_sites_tasks_marks_it(make_site, make_task) -> None:
    site, other = make_site(name="Marked"), make_site(name="Untouched")
    assert _versions(site) == (0, None)  # every new site has its row
    task = make_task(site)
    assert _tasks_version(site) == 1
    task.status = "complete"
    db.session.commit()
    assert _tasks_version(site) == 2
    # written without the ORM (as imports, merges and plain SQL may)
    db.session.execute(update(Task).where(Task.site_id == site.id).values(essential=True))
    db.session.commit()
    assert _tasks_version(site) == 3
    db.session.execute(delete(Task).where(Task.id == task.id))
    db.session.commit()
    assert _tasks_version(site) == 4
    assert _tasks_version(other) == 0

    make_task(site)
    db.session.execute(delete(AuditEvent).where(AuditEvent.site_id == site.id))
    db.session.execute(delete(Site).where(Site.id == site.id))  # its tasks go with it
    db.session.commit()
    assert db.session.scalars(select(SiteTaskCounts.site_id)).all() == [other.id]


def test_the_triggers_watch_every_column_the_counting_rule_reads(make_site, make_task) -> None:
    rule = task_counts.tasks_subquery(date(2026, 5, 4)).element
    read = {
        element.name
        for element in visitors.iterate(rule)
        if isinstance(element, Column) and element.table is Task.__table__
    }
    assert read == set(COUNTED_COLUMNS)
    # and nothing else: a change the counts cannot see does not make the site count again
    site = make_site()
    task = make_task(site)
    task.title, task.notes = "Renamed", "New notes"
    db.session.commit()
    assert _tasks_version(site) == 1


def test_a_view_counts_again_only_the_sites_whose_tasks_changed(
    make_site, make_task, make_user, count_queries
) -> None:
    user_id = make_user(global_role="support").id
    changed, steady = make_site(name="Changed"), make_site(name="Steady")
    task = make_task(changed, essential=True)
    make_task(steady, status="complete")
    rows = {r.name: r for r in portfolio_rows(user_id, today(), 30)}
    assert (rows["Changed"].essential_done, rows["Changed"].essential_applicable) == (0, 1)
    assert rows["Steady"].rag == "complete"
    steady_counted = _versions(steady)

    task.status = "complete"
    db.session.commit()
    with count_queries() as queries:
        rows = {r.name: r for r in portfolio_rows(user_id, today(), 30)}
    assert (rows["Changed"].essential_done, rows["Changed"].rag) == (1, "complete")
    assert len(queries) == 4  # the portfolio, the recount, the counts kept, the portfolio again
    assert _versions(steady) == steady_counted
    assert _versions(changed)[0] == _versions(changed)[1]

    with count_queries() as queries:
        again = {r.name: r for r in portfolio_rows(user_id, today(), 30)}
    assert len(queries) == 1
    assert again["Changed"].essential_done == 1


def test_counts_taken_on_another_day_are_taken_again(make_site, make_task, make_user) -> None:
    user = make_user(global_role="support")
    site = make_site(name="Dated")
    on = date(2026, 5, 4)
    make_task(site, status="in_progress", essential=True, due_date=on + timedelta(days=1))
    first = portfolio_rows(user.id, on, 30)[0]
    assert (first.overdue, first.rag) == (0, "green")
    later = portfolio_rows(user.id, on + timedelta(days=2), 30)[0]
    assert (later.overdue, later.rag) == (1, "red")


def test_a_count_racing_a_task_change_stays_out_of_date(make_site, make_task) -> None:
    site = make_site(name="Raced")
    task = make_task(site)
    read = _tasks_version(site)  # the version a view reads before it counts
    task.status = "complete"  # saved by someone else meanwhile
    db.session.commit()
    task_counts.recount({site.id: read}, today())
    flags = db.session.execute(rows_query(today()), {"user_id": 0, "now": None}).all()
    assert [row.counts_out_of_date for row in flags if row.site_id == site.id] == [True]


def test_the_portfolio_page_runs_the_same_statements_whatever_number_of_sites_changed(
    app, make_site, make_task, make_user, count_queries
) -> None:  # noqa: ANN001
    user = make_user(global_role="admin")
    client = app.test_client()
    sign_in(client, user)
    counts = []
    for number in (3, 9):
        sites = [make_site() for _ in range(number)]
        for site in sites:
            make_task(site)
        assert client.get("/portfolio").status_code == 200
        db.session.execute(update(Task).values(status="in_progress"))  # every site changed
        db.session.commit()
        with count_queries() as queries:
            assert client.get("/portfolio").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6, counts


def test_the_daily_reminders_job_takes_the_day_s_counts(app, make_site, make_task) -> None:  # noqa: ANN001
    """#34: the first portfolio view of a day recounted every site; the 06:30 job does it."""
    first, second = make_site(name="First"), make_site(name="Second")
    make_task(first, due_date=today() - timedelta(days=1))
    make_task(second)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Task counts taken again for 2 sites." in result.output
    kept = db.session.scalars(select(SiteTaskCounts).order_by(SiteTaskCounts.site_id)).all()
    assert [(k.counted_on, k.counted_version == k.tasks_version) for k in kept] == [
        (today(), True),
        (today(), True),
    ]
    assert kept[0].overdue == 1
    # The day's first portfolio view finds nothing to count again.
    out_of_date = select(SiteTaskCounts.site_id).where(task_counts.out_of_date(today()))
    assert db.session.execute(out_of_date).all() == []
    again = app.test_cli_runner().invoke(args=["send-reminders"])
    assert "Task counts taken again for 0 sites." in again.output


def _kept_last_change(site: Site):  # noqa: ANN202
    return db.session.scalar(
        select(SiteTaskCounts.last_change_at).where(SiteTaskCounts.site_id == site.id)
    )


def _newest_change(site: Site):  # noqa: ANN202 - the rule the kept time stands for
    return db.session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.site_id == site.id, AuditEvent.action.in_(CHANGE_ACTIONS)
        )
    )


def test_each_sites_last_change_is_kept_however_its_history_is_written(
    make_site, make_task
) -> None:
    """`last_change_at` always equals the newest change in the site's history: a change moves
    it on, a sign-in or export does not, and history rewritten or removed (a repair, or tests
    backdating it) has it worked out again, including a row given a site it had not."""
    site, other = make_site(name="Kept"), make_site(name="Other")
    task = make_task(site)
    assert _kept_last_change(site) is not None
    assert _kept_last_change(site) == _newest_change(site)

    task.status = "complete"
    db.session.commit()
    moved_on = _kept_last_change(site)
    assert moved_on == _newest_change(site)

    later = moved_on + timedelta(hours=2)
    for action in ("export", "login"):  # not changes to the site
        db.session.execute(
            insert(AuditEvent).values(at=later, site_id=site.id, action=action, label="x")
        )
    db.session.commit()
    assert _kept_last_change(site) == moved_on

    db.session.execute(  # a change written without the ORM
        insert(AuditEvent).values(at=later, site_id=site.id, action="update", label="x")
    )
    db.session.commit()
    assert _kept_last_change(site) == later

    # backdated: the site's history forty days ago, the rows written above a day later
    backdated = later - timedelta(days=40)
    db.session.execute(update(AuditEvent).where(AuditEvent.site_id == site.id).values(at=backdated))
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.site_id == site.id, AuditEvent.label == "x")
        .values(at=backdated + timedelta(days=1))
    )
    db.session.commit()
    assert _kept_last_change(site) == backdated + timedelta(days=1) == _newest_change(site)

    # the newest rows removed, and the rest moved to another site
    db.session.execute(
        delete(AuditEvent).where(AuditEvent.site_id == site.id, AuditEvent.label == "x")
    )
    db.session.commit()
    assert _kept_last_change(site) == backdated == _newest_change(site)
    moved = later + timedelta(days=1)
    db.session.execute(
        update(AuditEvent).where(AuditEvent.site_id == site.id).values(site_id=other.id, at=moved)
    )
    db.session.commit()
    assert _kept_last_change(site) is None
    assert _kept_last_change(other) == _newest_change(other) == moved

    # a row of no site's, given one
    db.session.execute(
        insert(AuditEvent).values(at=moved + timedelta(days=1), action="update", label="y")
    )
    db.session.execute(update(AuditEvent).where(AuditEvent.label == "y").values(site_id=site.id))
    db.session.commit()
    assert _kept_last_change(site) == _newest_change(site) == moved + timedelta(days=1)


def test_a_statement_of_many_history_rows_moves_each_site_on_once(make_site) -> None:
    """One statement writing many sites' history (an import, a repair): each site's kept
    last change is its newest change among them, whatever their order, a newer non-change
    ignored; on PostgreSQL each site's counts row is rewritten once, not once a row (each
    rewrite leaves a dead copy of the row behind until vacuum)."""
    site, other, quiet = make_site(name="Busy"), make_site(name="Other"), make_site(name="Quiet")
    db.session.commit()
    start = _kept_last_change(site) + timedelta(days=1)
    rows = [
        {"at": start + timedelta(minutes=n), "site_id": site.id, "action": "update", "label": "t"}
        for n in range(150)
    ]
    newest = rows[-1]["at"]  # written in time order, as a live site's history is
    rows.append({"at": start - timedelta(days=1), "site_id": site.id, "action": "create",
                 "label": "older, written last"})  # fmt: skip
    rows.append({"at": start + timedelta(days=9), "site_id": site.id, "action": "export",
                 "label": "not a change"})  # fmt: skip
    rows.append({"at": start + timedelta(days=2), "site_id": other.id, "action": "delete",
                 "label": "t"})  # fmt: skip
    postgresql = db.engine.dialect.name == "postgresql"
    rewrites = text(
        "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'site_task_counts'"
    )
    before = db.session.scalar(rewrites) if postgresql else None
    db.session.execute(insert(AuditEvent).values(rows))  # one statement
    if postgresql:
        assert db.session.scalar(rewrites) - before == 2  # Busy and Other, once each
    db.session.commit()
    assert _kept_last_change(site) == newest == _newest_change(site)
    assert _kept_last_change(other) == start + timedelta(days=2) == _newest_change(other)
    assert _kept_last_change(quiet) == _newest_change(quiet) < start


def test_a_whole_plan_written_at_once_rewrites_the_counts_row_a_few_times(make_site) -> None:
    """The plan the app writes when a site starts (its tasks and their history, in a few
    statements): the site is counted again and its last change moves on, and on PostgreSQL
    its counts row is rewritten once a statement, not once a task and once a history row."""
    from app.plan.service import create_plan

    site = make_site(name="New plan")
    db.session.commit()
    version = _tasks_version(site)
    postgresql = db.engine.dialect.name == "postgresql"
    rewrites = text(
        "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'site_task_counts'"
    )
    before = db.session.scalar(rewrites) if postgresql else None
    create_plan(site, "new", today() - timedelta(days=60))
    db.session.flush()
    tasks = db.session.scalar(select(func.count(Task.id)).where(Task.site_id == site.id))
    if postgresql:
        assert tasks > 50 and db.session.scalar(rewrites) - before <= 4
    db.session.commit()
    assert _tasks_version(site) > version
    assert _kept_last_change(site) == _newest_change(site)
