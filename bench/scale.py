"""The 1,000-site size of `make bench`, on PostgreSQL with a year of history a site.

    FLS_ENV=test python -m bench.run [--scale-sites 1000]     (part of `make bench`)

Two databases: one of 500 sites and one of 1,000 (a copy of the first, made with
`CREATE DATABASE ... TEMPLATE`, with 500 more sites), each migrated with `flask db upgrade`,
seeded with `flask seed-bench` (150 tasks a site) and given a year of history a site
(`HISTORY_ROWS_A_YEAR` rows, written in SQL) and an agreed business case (`bench.promises`, the
demo's promise for a service starting in January 2025, against the KPI values seed-bench
records). The portfolio, its workbook, one site's PID and its steering report are fetched
from both in turn, so the ratio shows how each grows with the whole database; the
1,000-site size has budgets of its own (#34).

The database: BENCH_DATABASE_URL, else TEST_DATABASE_URL when it is PostgreSQL (its
contents are replaced and it is left empty, and a second database `<name>_large` is made
beside it and dropped after), else a throwaway cluster like `make load`'s.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.extensions import db
from bench.load import flask, throwaway_postgres
from bench.promises import agree_business_cases, sql_literal
from bench.serve import server_env
from tests.conftest import PASSWORD, IsolatedClient, make_app
from tests.conftest import sign_in as sign_in_test_client

# Budgets at the larger size (#34), for 2 shared cores.
SCALE_BUDGETS_MS = {"PG Portfolio": 60, "PG PID (docx)": 40}
PORTFOLIO_MAX_BYTES = 200_000
TASKS = 150
# What a year of real use writes a site: about 20 history rows a working day (the team
# moving dates, ticking tasks off, updating actions and risks), the README's estimate.
HISTORY_ROWS_A_YEAR = 5_000
PAGES = [
    ("PG Portfolio", "/portfolio"),
    ("PG Portfolio workbook", "/portfolio.xlsx"),
    ("PG PID (docx)", "/sites/{site_id}/documents/pid.docx"),
    ("PG Steering report", "/sites/{site_id}/documents/steering-report.docx"),
]

# One year of a site's history: each row takes the next of these in turn (object type,
# action, field, old, new); a date's old and new values come from the task's own dates.
# Three in twenty are what the steering report lists (due and start dates, reported RAG).
HISTORY_MIX = [
    ("task", "update", "status", "not_started", "in_progress"),
    ("task", "update", "status", "in_progress", "complete"),
    ("task", "update", "due_date", None, None),
    ("task", "update", "notes", "", "Discussed at the project meeting."),
    ("action", "update", "status", "open", "done"),
    ("task", "update", "status", "not_started", "in_progress"),
    ("task", "update", "owner_id", None, None),
    ("raid_entry", "update", "rating", "12", "8"),
    ("task", "update", "start_date", None, None),
    ("task", "update", "completed_date", None, None),
    ("action", "create", None, None, None),
    ("task", "update", "status", "in_progress", "complete"),
    ("meeting", "update", "minutes_issued_at", None, None),
    ("task", "update", "reported_rag", "green", "amber"),
    ("person", "update", "engagement", "contacted", "engaged"),
    ("task", "update", "notes", "", "Waiting for the data from the audit team."),
    ("action", "update", "due_date", None, None),
    ("raid_entry", "update", "status", "open", "closed"),
    ("task", "update", "status", "blocked", "in_progress"),
    ("agenda_item", "create", None, None, None),
]

HISTORY_SQL = """
INSERT INTO audit_events (at, user_id, site_id, action, object_type, object_id, label,
                          field, old_value, new_value)
SELECT CAST(:now AS timestamp) - make_interval(secs => g.n * 31536.0 * 1000 / :rows),
       NULL, t.site_id, k.action, k.object_type, t.id, left(t.title, 300), k.field,
       CASE WHEN right(k.field, 5) = '_date'
            THEN to_char(t.due_date - 7 - g.n % 28, 'YYYY-MM-DD') ELSE k.old_value END,
       CASE WHEN right(k.field, 5) = '_date'
            THEN to_char(t.due_date, 'YYYY-MM-DD') ELSE k.new_value END
FROM sites s
CROSS JOIN generate_series(1, :rows) AS g(n)
JOIN tasks t ON t.site_id = s.id AND t.position = g.n % :tasks
JOIN (VALUES {mix}) AS k(slot, object_type, action, field, old_value, new_value)
  ON k.slot = g.n % {slots}
WHERE s.id > :after
ORDER BY 1
"""


def add_a_year_of_history(connection, after_site_id: int, rows: int) -> int:  # noqa: ANN001
    """`rows` history rows for every site after `after_site_id`, spread over the past year,
    oldest first (ids rise with time, across sites, as a live database's do)."""
    mix = ", ".join(
        f"({slot}, " + ", ".join(sql_literal(v) for v in entry) + ")"
        for slot, entry in enumerate(HISTORY_MIX)
    )
    statement = text(HISTORY_SQL.format(mix=mix, slots=len(HISTORY_MIX)))
    result = connection.execute(
        statement,
        {"now": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()), "rows": rows,
         "tasks": TASKS, "after": after_site_id},
    )  # fmt: skip
    return result.rowcount


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """The URL of a PostgreSQL database the benchmark may empty and fill."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        yield url
        return
    with throwaway_postgres() as fresh:
        yield fresh


def _admin(url: str) -> psycopg.Connection:
    """An autocommit connection to the server's `postgres` database (CREATE DATABASE)."""
    parsed = make_url(url).set(drivername="postgresql", database="postgres")
    return psycopg.connect(parsed.render_as_string(hide_password=False), autocommit=True)


def _recreate(url: str, template: str | None = None) -> None:
    name = make_url(url).database
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def _timed(label: str, action, *args):  # noqa: ANN001, ANN002, ANN202
    started = time.perf_counter()
    result = action(*args)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def _history(url: str, after_site_id: int, rows: int) -> None:
    engine = create_engine(make_url(url))
    with engine.begin() as connection:
        added = add_a_year_of_history(connection, after_site_id, rows)
        promised = agree_business_cases(connection, after_site_id)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE audit_events"))
        connection.execute(text("ANALYZE delivery_promises"))
    engine.dispose()
    print(f"    ({added:,} history rows, {promised:,} promise rows)", flush=True)


def build(small_url: str, large_url: str, half: int, history_rows: int, workdir: Path) -> None:
    """The two databases: `half` sites, and a copy with `half` more; history on both."""
    env = server_env(small_url, workdir / "instance")
    _recreate(small_url)
    flask(env, "db", "upgrade")
    for who, email in (("admin", "bench@example.nhs.uk"), ("support", "support@example.nhs.uk")):
        flask(env, "create-user", email, "--name", f"Bench {who}", "--role", who,
              stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    seed = ("seed-bench", "--tasks", str(TASKS), "--sites", str(half))
    _timed(f"seed-bench, {half} sites", flask, env, *seed)
    _timed(f"a year of history, {half} sites", _history, small_url, 0, history_rows)
    _recreate(large_url, template=make_url(small_url).database)
    large_env = server_env(large_url, workdir / "instance")
    _timed(f"seed-bench, {half} more sites", flask, large_env, *seed)
    _timed(f"a year of history, {half} more", _history, large_url, half, history_rows)


def _client(url: str, who: str):  # noqa: ANN202
    app = make_app(SQLALCHEMY_DATABASE_URI=url, JINJA_STRICT_UNDEFINED=False)
    app.test_client_class = IsolatedClient
    client = app.test_client()
    with app.app_context():
        email = "bench@example.nhs.uk" if who == "admin" else "support@example.nhs.uk"
        sign_in_test_client(client, SimpleNamespace(email=email))
    return app, client


def cpu_median(client, url: str, repeats: int) -> float:  # noqa: ANN001
    """The median CPU time this process spends on one request, in ms."""
    spent = []
    for _ in range(repeats):
        started = time.process_time()
        client.get(url)
        spent.append((time.process_time() - started) * 1000)
    return statistics.median(spent)


def measure(small_url: str, large_url: str, half: int, repeats: int, row_type) -> tuple:  # noqa: ANN001
    """Rows (label, median at half, median at 2 × half) and the larger portfolio's bytes."""
    from bench.run import paired_medians

    small_app, small = _client(small_url, "admin")
    large_app, large = _client(large_url, "admin")
    rows = []
    with small_app.app_context(), large_app.app_context():
        for label, path in PAGES:
            url = path.format(site_id=half)  # the same site, in both databases
            rows.append(row_type(label, *paired_medians((small, url), (large, url), repeats)))
        portfolio_bytes = len(large.get("/portfolio").data)
        print(
            f"\nThis process's CPU time a request at {2 * half} sites (the app's Python, not "
            "PostgreSQL's: a busy machine inflates it far less than the time taken)"
        )
        for label, path in PAGES:
            print(f"  {label:<26}{cpu_median(large, path.format(site_id=half), repeats):>8.1f}ms")
    for app in (small_app, large_app):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return rows, portfolio_bytes


def run(sites: int, history_rows: int, repeats: int, workdir: Path, row_type) -> tuple:  # noqa: ANN001
    """Build both databases, measure, and drop the copy; returns (rows, portfolio bytes)."""
    half = sites // 2
    started = time.perf_counter()
    with postgres_database() as small_url:
        large_url = make_url(small_url).set(database=make_url(small_url).database + "_large")
        large_url = large_url.render_as_string(hide_password=False)
        print(f"\nPostgreSQL: {half} and {sites} sites, {TASKS} tasks and "
              f"{history_rows:,} history rows a site", flush=True)  # fmt: skip
        try:
            build(small_url, large_url, half, history_rows, workdir)
            rows, size = measure(small_url, large_url, half, repeats, row_type)
        finally:
            # Left empty: TEST_DATABASE_URL's tests refuse a database holding others' rows.
            with _admin(small_url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{make_url(large_url).database}"')
            _recreate(small_url)
    print(f"  (built and measured in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return rows, size
