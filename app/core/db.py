"""Database helpers shared by every feature."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.dates import utcnow
from app.core.errors import StaleEdit
from app.extensions import db


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: forms send `version` back and a stale submit is refused.

    SQLAlchemy also bumps and checks the column on every UPDATE, so two flushes racing on
    the same row cannot both win.
    """

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL and a busy timeout let readers and one writer share a file without 'locked' errors."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI objects
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()


def postgres_engine_options(config: dict) -> dict[str, Any]:
    """Pool and session settings for PostgreSQL from DATABASE_POOL_SIZE,
    DATABASE_MAX_OVERFLOW, DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_JIT (see config.py);
    nothing for SQLite. Each connection is given its settings when it opens (libpq
    `options`), so they cost no statement per request."""
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return {}
    settings = []
    if not config["DATABASE_JIT"]:
        # The app's statements are short: compiling one (~700 ms, #34) never pays back,
        # and a table without statistics can push a cheap statement over jit_above_cost.
        settings.append("-c jit=off")
    if config["DATABASE_STATEMENT_TIMEOUT_MS"]:
        settings.append(f"-c statement_timeout={int(config['DATABASE_STATEMENT_TIMEOUT_MS'])}")
    options: dict[str, Any] = {
        "pool_size": config["DATABASE_POOL_SIZE"],
        "max_overflow": config["DATABASE_MAX_OVERFLOW"],
    }
    if settings:
        # Added to the connection options already configured (the migration test's
        # search_path), never in their place.
        given = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}))
        given["options"] = " ".join([*filter(None, [given.get("options")]), *settings])
        options["connect_args"] = given
    return options


def analyze(*tables: str) -> None:
    """Gather PostgreSQL's planner statistics (all tables, or those named) after a bulk
    load: until autovacuum's first ANALYZE, a freshly loaded or restored database is
    planned as if empty (#34: the portfolio over-estimated and JIT-compiled for 700 ms).
    Nothing on SQLite, whose planner needs no statistics for our statements."""
    if db.engine.dialect.name != "postgresql":
        return
    db.session.commit()
    db.session.execute(text("ANALYZE " + ", ".join(tables) if tables else "ANALYZE"))
    db.session.commit()


def select_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """{name: value} of labelled scalar subqueries, all answered by ONE SELECT.

    Gateway checks declare their facts this way so a page evaluating every check of every
    phase runs one statement, not one or more per check.
    """
    if not facts:
        return {}
    row = db.session.execute(select(*(expr.label(name) for name, expr in facts.items())))
    return dict(row.one()._mapping)


@contextmanager
def first_write(stale: StaleEdit) -> Iterator[None]:
    """Writes that create a row on first use (one per site and key: a gateway, an answer,
    a KPI value, a membership): 409 for every first-write race, never a 500.

    Two people writing first at once both find no row and both insert it; the database's
    UNIQUE constraint refuses the second INSERT. The block is flushed here, so that refusal
    surfaces now: nothing of this request is kept and the person gets the 409 page
    (`stale`), as when two edits of one row race on its version. Validate input before
    the block: inside it, an IntegrityError means someone else got there first.
    """
    try:
        yield
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise stale from error
