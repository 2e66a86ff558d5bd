"""kept counts moved on once a statement on PostgreSQL, not once a row

The triggers that keep `site_task_counts` (0029's on tasks, 0045's on new history rows,
0046's on promises and KPI values) ran once for each row written, so a statement writing
many rows (an import of 150 tasks, a year of KPI values, a bulk repair, seeding) rewrote
the site's counts row once for each of them. Each rewrite leaves a dead copy of the row
until vacuum: seeding 1,000 sites grew the 1,000-row table to 2,000 pages (16 MB), and
every portfolio view reads the whole table (8.7 ms of its 44 ms statement). On PostgreSQL
these triggers now run once a statement over the rows it wrote (transition tables; one
trigger an event, as a transition table serves one), so each site's row is rewritten
once. A task's change now counts when a counted value changes, not when it is merely
set. History rewritten or removed keeps its row trigger (a rare repair that works the
site's last change out again). SQLite, which has row triggers only, is unchanged.
Written out in full (a migration imports nothing from `app`).

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-07 01:00:00

"""
from alembic import op

revision = '0049'
down_revision = '0048'
branch_labels = None
depends_on = None


_CHANGES = "action IN ('create', 'update', 'delete')"
_COUNTED = ("site_id", "status", "essential", "due_date", "reported_rag")
_WORK_OUT = (
    "UPDATE site_task_counts SET last_change_at = (SELECT max(at) FROM audit_events"
    f" WHERE site_id = {{row}}.site_id AND {_CHANGES}) WHERE site_id = {{row}}.site_id"
)
_LOCK = "PERFORM 1 FROM site_task_counts WHERE site_id = {row}.site_id FOR UPDATE"
_DELIVERY_TABLES = ("delivery_promises", "kpi_values")

# What this migration makes (app/portfolio/models.py holds the same)
_MOVE_ON_ADDED = (
    "UPDATE site_task_counts SET last_change_at = added.at FROM (SELECT site_id, max(at) AS at"
    f" FROM added_events WHERE {_CHANGES} GROUP BY site_id) AS added"
    " WHERE site_task_counts.site_id = added.site_id"
    " AND (site_task_counts.last_change_at IS NULL OR site_task_counts.last_change_at < added.at)"
)
_BUMP_SITES = "UPDATE site_task_counts SET tasks_version = tasks_version + 1 WHERE site_id IN"
_RAISE_SITES = (
    "UPDATE site_task_counts SET delivery_version = delivery_version + 1 WHERE site_id IN"
)
_COUNTED_CHANGED = (
    f"ROW(o.{', o.'.join(_COUNTED)}) IS DISTINCT FROM ROW(n.{', n.'.join(_COUNTED)})"
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


def _statement_triggers(name, table, update_sites, changed):
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


UPGRADE = [
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
    *(
        statement
        for table in _DELIVERY_TABLES
        for statement in _statement_triggers("delivery", table, _RAISE_SITES, "true")
    ),
]

# What it replaces: 0029's, 0045's and 0046's row triggers
_OF = ", ".join(_COUNTED)
_BUMP = (
    "UPDATE site_task_counts SET tasks_version = tasks_version + 1 WHERE site_id = {row}.site_id"
)
_MOVE_ON = (
    "UPDATE site_task_counts SET last_change_at = NEW.at WHERE site_id = NEW.site_id"
    " AND (last_change_at IS NULL OR last_change_at < NEW.at)"
)
_RAISE = (
    "UPDATE site_task_counts SET delivery_version = delivery_version + 1"
    " WHERE site_id = {row}.site_id"
)
DOWNGRADE = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_{what} ON {table}"
        for table in ("tasks", *_DELIVERY_TABLES)
        for what in _STATEMENT_EVENTS
    ),
    *(
        f"DROP FUNCTION IF EXISTS {name}_{what}()"
        for name in ("tasks", "delivery")
        for what in ("added", "removed")
    ),
    "CREATE OR REPLACE FUNCTION tasks_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN {_BUMP.format(row='OLD')}; END IF; "
    "IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.site_id <> OLD.site_id) THEN "
    f"{_BUMP.format(row='NEW')}; END IF; RETURN NULL; END $$",
    f"CREATE TRIGGER tasks_changed AFTER INSERT OR UPDATE OF {_OF} OR DELETE ON tasks "
    "FOR EACH ROW EXECUTE FUNCTION tasks_changed()",
    "CREATE OR REPLACE FUNCTION site_history_written() RETURNS trigger LANGUAGE plpgsql "
    f"AS $$ BEGIN IF TG_OP = 'INSERT' THEN {_MOVE_ON}; ELSE {_LOCK.format(row='OLD')}; "
    f"{_WORK_OUT.format(row='OLD')}; END IF; "
    "IF TG_OP = 'UPDATE' AND NEW.site_id IS DISTINCT FROM OLD.site_id THEN "
    f"{_LOCK.format(row='NEW')}; {_WORK_OUT.format(row='NEW')}; END IF; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS site_history_added ON audit_events",
    "CREATE TRIGGER site_history_added AFTER INSERT ON audit_events FOR EACH ROW "
    f"WHEN (NEW.{_CHANGES}) EXECUTE FUNCTION site_history_written()",
    "DROP FUNCTION IF EXISTS site_history_added()",
    "CREATE OR REPLACE FUNCTION delivery_changed() RETURNS trigger LANGUAGE plpgsql "
    f"AS $$ BEGIN IF TG_OP <> 'INSERT' THEN {_RAISE.format(row='OLD')}; END IF; "
    "IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.site_id IS DISTINCT FROM OLD.site_id) "
    f"THEN {_RAISE.format(row='NEW')}; END IF; RETURN NULL; END $$",
    *(
        f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION delivery_changed()"
        for table in _DELIVERY_TABLES
    ),
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
