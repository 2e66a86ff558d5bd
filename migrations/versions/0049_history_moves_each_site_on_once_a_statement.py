"""site_history_added on PostgreSQL: once a statement over its new rows, not once a row

The trigger 0045 added moved a site's `last_change_at` on for each history row inserted,
so a statement writing many rows (an import, a bulk repair, the benchmark's year of
history) rewrote the site's counts row once for each of them. Each rewrite leaves a dead
copy of the row until vacuum; at 1,000 sites the 1,000-row counts table had grown to
1,813 pages, and every portfolio view read them all (8.7 ms of its 44 ms statement). On
PostgreSQL the trigger now runs once a statement over the rows it added (a transition
table), moving each site on once. SQLite, which has row triggers only, is unchanged.
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

UPGRADE = [
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
]
DOWNGRADE = [  # 0045's
    "CREATE OR REPLACE FUNCTION site_history_written() RETURNS trigger LANGUAGE plpgsql "
    f"AS $$ BEGIN IF TG_OP = 'INSERT' THEN {_MOVE_ON}; ELSE {_LOCK.format(row='OLD')}; "
    f"{_WORK_OUT.format(row='OLD')}; END IF; "
    "IF TG_OP = 'UPDATE' AND NEW.site_id IS DISTINCT FROM OLD.site_id THEN "
    f"{_LOCK.format(row='NEW')}; {_WORK_OUT.format(row='NEW')}; END IF; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS site_history_added ON audit_events",
    "CREATE TRIGGER site_history_added AFTER INSERT ON audit_events FOR EACH ROW "
    f"WHEN (NEW.{_CHANGES}) EXECUTE FUNCTION site_history_written()",
    "DROP FUNCTION IF EXISTS site_history_added()",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
