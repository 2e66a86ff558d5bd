"""The suite empties its database before every test, so it must only ever touch one it made.

Tests read TEST_DATABASE_URL (never DATABASE_URL, which names a real deployment). On first
use the suite claims the database with a marker table. A database that already holds
rows in tables the suite did not claim is refused: the run stops before anything is
dropped.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select, table, text

MARKER_TABLE = "fls_test_suite_marker"


def refusal_reason(engine: Engine) -> str | None:
    """Why the suite must not use this database, or None when it may."""
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        if MARKER_TABLE in names:
            return None  # created by an earlier run of this suite
        filled = [
            name
            for name in names
            if connection.scalar(select(func.count()).select_from(table(name)))
        ]
    if not filled:
        return None
    shown = ", ".join(sorted(filled)[:5]) + (" ..." if len(filled) > 5 else "")
    return (
        f"Refusing to run the tests against {engine.url.render_as_string(hide_password=True)}: "
        f"it holds data the test suite did not put there (tables with rows: {shown}). "
        "The tests empty every table they use. Point TEST_DATABASE_URL at a database made "
        "for the tests (for example `createdb fls_test`), or leave it unset for in-memory "
        "SQLite."
    )


def claim(engine: Engine) -> None:
    """Mark the database as the suite's, so later runs may empty it again."""
    with engine.begin() as connection:
        if MARKER_TABLE not in inspect(connection).get_table_names():
            connection.execute(text(f"CREATE TABLE {MARKER_TABLE} (note VARCHAR(80))"))
            connection.execute(
                text(f"INSERT INTO {MARKER_TABLE} (note) VALUES ('created by the FLS test suite')")
            )
