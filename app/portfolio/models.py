from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, ForeignKey, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import CHANGE_ACTIONS
from app.core.dates import utcnow
from app.extensions import db


class SiteFollow(db.Model):
    """A support user's "sites I support" list.

    Deliberately not audited: following a site is a reading preference, not a change to the
    site, and must not reset the portfolio's "days since anyone changed anything".
    """

    __tablename__ = "site_follows"
    __table_args__ = (UniqueConstraint("user_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SiteTaskCounts(db.Model):
    """A site's task counts for the portfolio, kept between views (`task_counts` explains
    when they are taken again), and the time of its newest change. Not audited: keeping a
    count changes nothing on the site."""

    __tablename__ = "site_task_counts"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # Raised by the triggers below on every change to one of the site's tasks.
    tasks_version: Mapped[int] = mapped_column(default=0, server_default="0")
    counted_version: Mapped[int | None]
    counted_on: Mapped[date | None]
    applicable: Mapped[int] = mapped_column(default=0, server_default="0")
    done: Mapped[int] = mapped_column(default=0, server_default="0")
    ess_applicable: Mapped[int] = mapped_column(default=0, server_default="0")
    ess_done: Mapped[int] = mapped_column(default=0, server_default="0")
    overdue: Mapped[int] = mapped_column(default=0, server_default="0")
    ess_red: Mapped[int] = mapped_column(default=0, server_default="0")
    red_amber: Mapped[int] = mapped_column(default=0, server_default="0")
    ess_long: Mapped[int] = mapped_column(default=0, server_default="0")
    # The due date of the open task that has been overdue longest (the need score's days
    # overdue); None when nothing is overdue.
    oldest_overdue: Mapped[date | None]
    # The time of the site's newest history row that changed its content (`CHANGE_ACTIONS`),
    # kept by the triggers below however the history is written; None before any.
    last_change_at: Mapped[datetime | None]
    # The site's delivery share (`app.delivery.facts.DeliveryShare`), kept as the counts are
    # (`app.portfolio.delivery_shares`): the triggers below raise `delivery_version` on every
    # change to the site's promises or KPI values; the share is taken again when the version
    # differs from the one it was taken at, or on another day (quarters move with the date).
    # All four figures None: no share (no agreed case, or no figures yet).
    delivery_version: Mapped[int] = mapped_column(default=0, server_default="0")
    delivery_counted_version: Mapped[int | None]
    delivery_counted_on: Mapped[date | None]
    delivery_found: Mapped[int | None]
    delivery_found_promised: Mapped[int | None]
    delivery_treated: Mapped[int | None]
    delivery_treated_promised: Mapped[int | None]


# The triggers that keep `tasks_version` and give every new site its row. They watch only
# the columns the counting rule reads (a test checks the list against the rule), so a task's
# title, owner or notes can change without the site being counted again. PostgreSQL runs a
# trigger through a function; SQLite writes the body inline.
COUNTED_COLUMNS = ("site_id", "status", "essential", "due_date", "reported_rag")
_OF = ", ".join(COUNTED_COLUMNS)
_BUMP = (
    "UPDATE site_task_counts SET tasks_version = tasks_version + 1 WHERE site_id = {row}.site_id"
)
_START = "INSERT INTO site_task_counts (site_id, tasks_version) VALUES (NEW.id, 0)"
# The triggers that keep `last_change_at`: a new history row moves it on (the common case,
# one indexed row); a history row changed or removed (a rare repair, or tests backdating
# history) has it worked out again from the site's history, through the (site_id, at) index.
# On PostgreSQL the counts row is locked before the history is read, so a change recorded
# at the same moment by another transaction is waited for and counted, never overwritten.
# On PostgreSQL the rows one statement adds move each site on once (a statement trigger
# over the new rows): an import of 150 tasks rewrites the site's counts row once, not 150
# times, which left the table with a dead copy of the row for each history row written.
_CHANGES = "action IN (" + ", ".join(f"'{a}'" for a in CHANGE_ACTIONS) + ")"
_MOVE_ON = (
    "UPDATE site_task_counts SET last_change_at = NEW.at WHERE site_id = NEW.site_id"
    " AND (last_change_at IS NULL OR last_change_at < NEW.at)"
)
_MOVE_ON_ADDED = (
    "UPDATE site_task_counts SET last_change_at = added.at FROM (SELECT site_id, max(at) AS at"
    f" FROM added_events WHERE {_CHANGES} GROUP BY site_id) AS added"
    " WHERE site_task_counts.site_id = added.site_id"
    " AND (site_task_counts.last_change_at IS NULL OR site_task_counts.last_change_at < added.at)"
)
_WORK_OUT = (
    "UPDATE site_task_counts SET last_change_at = (SELECT max(at) FROM audit_events"
    f" WHERE site_id = {{row}}.site_id AND {_CHANGES}) WHERE site_id = {{row}}.site_id"
)
_LOCK = "PERFORM 1 FROM site_task_counts WHERE site_id = {row}.site_id FOR UPDATE"
_REWRITTEN = "site_id, action, at"
# The triggers that keep `delivery_version`: any change to a site's promises or KPI values
# (the share reads both), however written; a row moved between sites raises both.
_DELIVERY_TABLES = ("delivery_promises", "kpi_values")
_RAISE = (
    "UPDATE site_task_counts SET delivery_version = delivery_version + 1"
    " WHERE site_id = {row}.site_id"
)
# On PostgreSQL the tasks and delivery triggers run once a statement over the rows it wrote
# (transition tables): an import of 150 tasks or a year of KPI values rewrites each site's
# counts row once, not once a row (each rewrite leaves a dead copy of the row until vacuum;
# seeding 1,000 sites grew the 1,000-row table to 2,000 pages that every portfolio view
# read). A transition table serves one event, so each kind of write has its own trigger.
_BUMP_SITES = "UPDATE site_task_counts SET tasks_version = tasks_version + 1 WHERE site_id IN"
_RAISE_SITES = (
    "UPDATE site_task_counts SET delivery_version = delivery_version + 1 WHERE site_id IN"
)
_COUNTED_CHANGED = (
    f"ROW(o.{', o.'.join(COUNTED_COLUMNS)}) IS DISTINCT FROM ROW(n.{', n.'.join(COUNTED_COLUMNS)})"
)
_STATEMENT_EVENTS = {
    "added": ("INSERT", "NEW TABLE AS added_rows", "SELECT site_id FROM added_rows"),
    "removed": ("DELETE", "OLD TABLE AS removed_rows", "SELECT site_id FROM removed_rows"),
    "changed": (
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT unnest(ARRAY[o.site_id, n.site_id]) FROM old_rows o "
        "JOIN new_rows n ON n.id = o.id WHERE {changed}",
    ),
}


def _statement_triggers(name: str, table: str, update_sites: str, changed: str) -> list[str]:
    """PostgreSQL: `update_sites` (an UPDATE ending "WHERE site_id IN") for the sites of the
    rows a statement adds to or removes from `table`, and of the rows it changes where
    `changed` holds (a condition on a row's old values `o` and new values `n`). Functions
    are named `name`_added, _removed and _changed, so tables with one rule share them."""
    statements = []
    for what, (event_name, referencing, sites) in _STATEMENT_EVENTS.items():
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}_{what}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {update_sites} ({sites.format(changed=changed)}); RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {table}_{what} ON {table}",
            f"CREATE TRIGGER {table}_{what} AFTER {event_name} ON {table} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}_{what}()",
        ]
    return statements


TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS site_task_counts_start AFTER INSERT ON sites BEGIN "
        f"{_START}; END",
        "CREATE TRIGGER IF NOT EXISTS tasks_added AFTER INSERT ON tasks BEGIN "
        f"{_BUMP.format(row='NEW')}; END",
        f"CREATE TRIGGER IF NOT EXISTS tasks_changed AFTER UPDATE OF {_OF} ON tasks BEGIN "
        f"{_BUMP.format(row='OLD')}; {_BUMP.format(row='NEW')} AND NEW.site_id <> OLD.site_id; END",
        "CREATE TRIGGER IF NOT EXISTS tasks_removed AFTER DELETE ON tasks BEGIN "
        f"{_BUMP.format(row='OLD')}; END",
        "CREATE TRIGGER IF NOT EXISTS site_history_added AFTER INSERT ON audit_events "
        f"WHEN NEW.{_CHANGES} BEGIN {_MOVE_ON}; END",
        f"CREATE TRIGGER IF NOT EXISTS site_history_rewritten AFTER UPDATE OF {_REWRITTEN} "
        f"ON audit_events BEGIN {_WORK_OUT.format(row='OLD')}; "
        f"{_WORK_OUT.format(row='NEW')} AND NEW.site_id IS NOT OLD.site_id; END",
        "CREATE TRIGGER IF NOT EXISTS site_history_removed AFTER DELETE ON audit_events BEGIN "
        f"{_WORK_OUT.format(row='OLD')}; END",
        *(
            statement
            for table in _DELIVERY_TABLES
            for statement in (
                f"CREATE TRIGGER IF NOT EXISTS {table}_added AFTER INSERT ON {table} BEGIN "
                f"{_RAISE.format(row='NEW')}; END",
                f"CREATE TRIGGER IF NOT EXISTS {table}_changed AFTER UPDATE ON {table} BEGIN "
                f"{_RAISE.format(row='OLD')}; "
                f"{_RAISE.format(row='NEW')} AND NEW.site_id IS NOT OLD.site_id; END",
                f"CREATE TRIGGER IF NOT EXISTS {table}_removed AFTER DELETE ON {table} BEGIN "
                f"{_RAISE.format(row='OLD')}; END",
            )
        ),
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION site_task_counts_start() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN {_START}; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS site_task_counts_start ON sites",
        "CREATE TRIGGER site_task_counts_start AFTER INSERT ON sites "
        "FOR EACH ROW EXECUTE FUNCTION site_task_counts_start()",
        *_statement_triggers("tasks", "tasks", _BUMP_SITES, _COUNTED_CHANGED),
        "CREATE OR REPLACE FUNCTION site_history_added() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN {_MOVE_ON_ADDED}; RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION site_history_written() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN {_LOCK.format(row='OLD')}; {_WORK_OUT.format(row='OLD')}; "
        "IF TG_OP = 'UPDATE' AND NEW.site_id IS DISTINCT FROM OLD.site_id THEN "
        f"{_LOCK.format(row='NEW')}; {_WORK_OUT.format(row='NEW')}; END IF; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS site_history_added ON audit_events",
        "CREATE TRIGGER site_history_added AFTER INSERT ON audit_events "
        "REFERENCING NEW TABLE AS added_events FOR EACH STATEMENT "
        "EXECUTE FUNCTION site_history_added()",
        "DROP TRIGGER IF EXISTS site_history_rewritten ON audit_events",
        f"CREATE TRIGGER site_history_rewritten AFTER UPDATE OF {_REWRITTEN} OR DELETE "
        "ON audit_events FOR EACH ROW EXECUTE FUNCTION site_history_written()",
        *(
            statement
            for table in _DELIVERY_TABLES
            for statement in _statement_triggers("delivery", table, _RAISE_SITES, "true")
        ),
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS site_task_counts_start",
        "DROP TRIGGER IF EXISTS tasks_added",
        "DROP TRIGGER IF EXISTS tasks_changed",
        "DROP TRIGGER IF EXISTS tasks_removed",
        "DROP TRIGGER IF EXISTS site_history_added",
        "DROP TRIGGER IF EXISTS site_history_rewritten",
        "DROP TRIGGER IF EXISTS site_history_removed",
        *(
            f"DROP TRIGGER IF EXISTS {table}_{what}"
            for table in _DELIVERY_TABLES
            for what in ("added", "changed", "removed")
        ),
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS site_task_counts_start ON sites",
        "DROP FUNCTION IF EXISTS site_task_counts_start()",
        *(
            f"DROP TRIGGER IF EXISTS {table}_{what} ON {table}"
            for table in ("tasks", *_DELIVERY_TABLES)
            for what in _STATEMENT_EVENTS
        ),
        *(
            f"DROP FUNCTION IF EXISTS {name}_{what}()"
            for name in ("tasks", "delivery")
            for what in _STATEMENT_EVENTS
        ),
        "DROP TRIGGER IF EXISTS site_history_added ON audit_events",
        "DROP TRIGGER IF EXISTS site_history_rewritten ON audit_events",
        "DROP FUNCTION IF EXISTS site_history_written()",
        "DROP FUNCTION IF EXISTS site_history_added()",
    ],
}


# Installed whenever the schema is made from the models (`create_all`, as the tests and the
# benchmark do); migrations write them out (today's: 0029, 0045, 0046 and 0049), and tests/unit/
# test_migrations.py checks a migrated database holds exactly these. A change here needs a
# new migration. (DDL formats its text with %: none
# of these holds one.)
for _dialect, _statements in TRIGGERS.items():
    for _statement in _statements:
        event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect=_dialect))
