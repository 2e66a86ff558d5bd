"""A site's main pages read that site's rows only, by PostgreSQL's own plans (#34 item 3).

The PID slowed as the whole database grew (29 ms at 166 sites, 70 ms at 1,000): its
"latest change" walked every site's history backwards along the primary key. On a test
database every table is small, so PostgreSQL is asked to plan as it would on a large one:
no sequential scan or sort where an index can do. A per-site table still read by a
sequential scan (no index serves the statement), or an index walked in order under a
LIMIT without a key to bound it (the newest row of a site found by walking every site's
rows), fails the test.
PostgreSQL only (TEST_DATABASE_URL); skipped on SQLite.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import event, select

from app.core.dates import today
from app.demo import seed_bench
from app.extensions import db
from app.meetings.demo import bench_meetings
from app.meetings.models import Meeting
from app.sites.demo import BenchContext
from bench.plans import site_tables, walks_across_sites
from tests.conftest import sign_in
from tests.web.test_query_budget import SITE_PAGES

# As a large database would plan: with an index that serves a filter, PostgreSQL uses it.
LARGE_DATABASE_PLANNING = ("enable_seqscan",)


def _plan(statement: str, parameters: dict) -> dict:
    with db.engine.connect() as connection:
        for setting in LARGE_DATABASE_PLANNING:
            connection.exec_driver_sql(f"SET {setting} = off")
        plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters)
        found = plan.scalar()[0]["Plan"]
        connection.rollback()
    return found


@pytest.fixture
def seeded(app, make_user):  # noqa: ANN001, ANN201
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL plans only (TEST_DATABASE_URL)")
    sites = seed_bench(3, 12)
    # A season of fortnightly meetings a site, half held, as a site has: with the one
    # meeting seed_bench gives 12 tasks, every index looked as cheap as any other and
    # PostgreSQL's pick turned on whether today's meeting had started yet (the hour).
    for site in sites:
        bench_meetings(BenchContext(site=site, tasks=60, rng=random.Random(site.id), today=today()))
    db.session.commit()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    client = app.test_client()
    sign_in(client, make_user(global_role="admin"))
    return client, sites[1]


@pytest.mark.parametrize("page", SITE_PAGES)
def test_a_site_page_reads_no_other_site_s_rows(page: str, seeded) -> None:  # noqa: ANN001
    client, site = seeded
    meeting = db.session.scalar(select(Meeting.id).where(Meeting.site_id == site.id).limit(1))
    url = f"/sites/{site.id}" + page.format(meeting=meeting)
    assert client.get(url).status_code == 200  # warm up
    statements: list[tuple[str, dict]] = []

    def record(_conn, _cursor, statement, parameters, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    tables = site_tables()
    problems = [
        f"{scan}\n  in: {' '.join(statement.split())[:400]}"
        for statement, parameters in statements
        for scan in walks_across_sites(_plan(statement, parameters), tables)
    ]
    assert problems == [], "\n".join(problems)
