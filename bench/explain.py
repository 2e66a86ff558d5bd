"""Every statement one request runs, with PostgreSQL's EXPLAIN (ANALYZE, BUFFERS), slowest first.

    DATABASE_URL=postgresql+psycopg://... FLS_ENV=test python -m bench.explain EMAIL PATH...

Signs in as EMAIL (an account with the tests' password, as `make bench`'s accounts have),
fetches each PATH twice (the first plans and warms), records the second
request's statements with their parameters and prints each one's plan with its actual
times and buffers, the slowest first. For a page over its budget in `make bench`'s
PostgreSQL size: which statement, and which step of its plan, the time goes to.
"""

from __future__ import annotations

import os
import sys
import time
from types import SimpleNamespace

from sqlalchemy import event, text

from app.extensions import db
from tests.conftest import IsolatedClient, make_app, sign_in


def explain(statement: str, parameters) -> str:  # noqa: ANN001
    """The plan of one recorded statement, run again under EXPLAIN (ANALYZE, BUFFERS)."""
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        lines = [row[0] for row in cursor.fetchall()]
    raw.rollback()
    return "\n".join(lines)


def main(email: str, paths: list[str]) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=os.environ["DATABASE_URL"], JINJA_STRICT_UNDEFINED=False)
    app.test_client_class = IsolatedClient
    client = app.test_client()
    with app.app_context():
        sign_in(client, SimpleNamespace(email=email))
        for path in paths:
            client.get(path)
            recorded: list[tuple[float, str, object]] = []

            def before(_conn, _cursor, _statement, _parameters, context, _many) -> None:  # noqa: ANN001
                context.bench_started = time.perf_counter()

            def after(_c, _cur, statement, parameters, context, _m, into=recorded) -> None:  # noqa: ANN001
                took = time.perf_counter() - context.bench_started
                into.append((took, statement, parameters))

            event.listen(db.engine, "before_cursor_execute", before)
            event.listen(db.engine, "after_cursor_execute", after)
            started = time.perf_counter()
            response = client.get(path)
            total = (time.perf_counter() - started) * 1000
            event.remove(db.engine, "before_cursor_execute", before)
            event.remove(db.engine, "after_cursor_execute", after)
            in_sql = sum(took for took, _, _ in recorded) * 1000
            print(f"== {path}: HTTP {response.status_code}, {len(response.data):,} bytes, "
                  f"{total:.1f} ms, {len(recorded)} statements taking {in_sql:.1f} ms")  # fmt: skip
            for took, statement, parameters in sorted(recorded, key=lambda r: -r[0]):
                if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                print(f"\n-- {took * 1000:.1f} ms: {' '.join(statement.split())[:300]}")
                print(explain(statement, parameters))
        db.session.execute(text("SELECT 1"))
        db.session.remove()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
