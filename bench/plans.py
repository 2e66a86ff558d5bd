"""Which statements of a site's pages read other sites' rows, from PostgreSQL's plans.

    DATABASE_URL=postgresql+psycopg://... FLS_ENV=test python -m bench.plans [SITE_ID]

Fetches each main page of one site (the pages of tests/web/test_query_budget.py) as an
administrator, records every SELECT with its parameters, and asks PostgreSQL for its plan
(EXPLAIN, with sequential scans discouraged so that the chosen index shows, as on a large
database). A scan of a per-site table (one with a site_id column) that is a sequential
scan, a walk of a whole index, or an index scan bounded only by a column that is not a
key (a date, a status) reads every site's rows: it is reported with the statement. Run on
a seeded, analysed database (`flask seed-bench --sites 300`) to see the plans that
matter; tests/web/test_plans_stay_on_site.py runs the same check in the tests.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

from app.extensions import db

KEY = re.compile(r"\b(site_id|id|[a-z_]+_id)\b")


def site_tables() -> set[str]:
    return {table.name for table in db.metadata.sorted_tables if "site_id" in table.c}


def large_site_tables(rows: int = 5000) -> set[str]:
    """Per-site tables holding more than `rows` rows, by PostgreSQL's statistics."""
    big = set(
        db.session.scalars(
            text("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > :rows"),
            {"rows": rows},
        )
    )
    return site_tables() & big


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def off_site_scans(plan: dict, tables: set[str]) -> list[str]:
    """The plan's scans of per-site tables that are not bounded by a key."""
    found = []
    for node in _nodes(plan):
        table = node.get("Relation Name")
        if table not in tables:
            continue
        kind = node["Node Type"]
        bound = node.get("Index Cond") or node.get("Recheck Cond") or ""
        if kind == "Seq Scan" or (kind != "Bitmap Heap Scan" and not KEY.search(bound)):
            where = node.get("Index Name", "")
            found.append(f"{kind} on {table}{' using ' + where if where else ''} {bound}")
        elif kind == "Bitmap Heap Scan":
            continue  # its Bitmap Index Scan child is checked on its own
    for node in _nodes(plan):
        if node["Node Type"] == "Bitmap Index Scan" and not KEY.search(node.get("Index Cond", "")):
            found.append(f"Bitmap Index Scan using {node['Index Name']} {node.get('Index Cond')}")
    return found


def _unbounded(node: dict) -> bool:
    bound = node.get("Index Cond") or node.get("Recheck Cond") or ""
    return node["Node Type"] == "Seq Scan" or not KEY.search(bound)


def walks_across_sites(plan: dict, tables: set[str], under_limit: bool = False) -> list[str]:
    """Scans of per-site tables that walk other sites' rows for good: a sequential scan
    where no index can serve, or an index walked in order under a LIMIT (the newest row of
    a site found by walking every site's rows backwards along the primary key)."""
    found = []
    table = plan.get("Relation Name")
    scan = plan["Node Type"] in ("Seq Scan", "Index Scan", "Index Only Scan")
    if (scan and table in tables) and (
        plan["Node Type"] == "Seq Scan" or (under_limit and _unbounded(plan))
    ):
        index = plan.get("Index Name", "")
        found.append(f"{plan['Node Type']} on {table}{' using ' + index if index else ''}")
    below_limit = under_limit or plan["Node Type"] == "Limit"
    for child in plan.get("Plans", []):
        found += walks_across_sites(child, tables, below_limit)
    return found


@contextmanager
def recorded() -> Iterator[list[tuple[str, dict]]]:
    seen: list[tuple[str, dict]] = []

    def record(_conn, _cursor, statement, parameters, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def explain(statement: str, parameters: dict | tuple, seqscan: bool = False) -> dict:
    with db.engine.connect() as connection:
        if not seqscan:
            connection.exec_driver_sql("SET enable_seqscan = off")
        raw = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters)
        plan = raw.scalar()
        connection.rollback()
    return (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]


def page_problems(client: FlaskClient, url: str, seqscan: bool = False) -> list[str]:
    """Each off-site scan of the statements `url` runs, with the statement's start."""
    client.get(url)  # warm up: first-request work aside
    with recorded() as statements:
        response = client.get(url)
    problems = []
    if response.status_code != 200:
        return [f"HTTP {response.status_code}"]
    # Discouraged sequential scans show which index serves every per-site table; real
    # plans matter only where a table is large enough for a scan to cost.
    tables = large_site_tables() if seqscan else site_tables()
    for statement, parameters in statements:
        for scan in off_site_scans(explain(statement, parameters, seqscan), tables):
            problems.append(f"{scan}\n      in: {' '.join(statement.split())[:300]}")
    return problems


def main(site_id: int) -> None:
    import os

    from app.accounts.models import User
    from app.accounts.service import create_user
    from tests.conftest import PASSWORD, IsolatedClient, make_app, sign_in
    from tests.web.test_query_budget import SITE_PAGES

    app: Flask = make_app(SQLALCHEMY_DATABASE_URI=os.environ["DATABASE_URL"])
    app.test_client_class = IsolatedClient
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.email == "plans@example.nhs.uk"))
        admin = admin or create_user("plans@example.nhs.uk", "Plans", PASSWORD, "admin")
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        client = app.test_client()
        sign_in(client, admin)
        meeting = db.session.scalar(
            text("SELECT min(id) FROM meetings WHERE site_id = :s"), {"s": site_id}
        )
        for page in SITE_PAGES:
            url = f"/sites/{site_id}" + page.format(meeting=meeting)
            problems = page_problems(client, url, seqscan=bool(os.environ.get("PLANS_SEQSCAN")))
            print(f"== {page}: {'ok' if not problems else len(problems)}")
            for problem in problems:
                print("   ", problem)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
