"""each site's last change kept beside its task counts, by triggers on the history

The portfolio's "days since anyone changed anything" read each site's newest history row
on every view: 1,000 index probes into the history table at 1,000 sites (a fifth of the
portfolio statement's time, #34). `site_task_counts.last_change_at` keeps it instead:
triggers on `audit_events` move it on when a change is recorded and work it out again
when history rows are changed or removed (a rare repair), however they are written. Existing sites get
theirs from their history here. Written out in full (a migration imports nothing from
`app`); the models hold the same triggers (`app.portfolio.models.TRIGGERS`).

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06 21:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0045'
down_revision = '0044'
branch_labels = None
depends_on = None


_CHANGES = "action IN ('create', 'update', 'delete')"
_MOVE_ON = (
    "UPDATE site_task_counts SET last_change_at = NEW.at WHERE site_id = NEW.site_id"
    " AND (last_change_at IS NULL OR last_change_at < NEW.at)"
)
_WORK_OUT = (
    "UPDATE site_task_counts SET last_change_at = (SELECT max(at) FROM audit_events"
    f" WHERE site_id = {{row}}.site_id AND {_CHANGES}) WHERE site_id = {{row}}.site_id"
)
_LOCK = "PERFORM 1 FROM site_task_counts WHERE site_id = {row}.site_id FOR UPDATE"
_REWRITTEN = "site_id, action, at"
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS site_history_added AFTER INSERT ON audit_events "
        f"WHEN NEW.{_CHANGES} BEGIN {_MOVE_ON}; END",
        f"CREATE TRIGGER IF NOT EXISTS site_history_rewritten AFTER UPDATE OF {_REWRITTEN} "
        f"ON audit_events BEGIN {_WORK_OUT.format(row='OLD')}; "
        f"{_WORK_OUT.format(row='NEW')} AND NEW.site_id IS NOT OLD.site_id; END",
        "CREATE TRIGGER IF NOT EXISTS site_history_removed AFTER DELETE ON audit_events BEGIN "
        f"{_WORK_OUT.format(row='OLD')}; END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION site_history_written() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN IF TG_OP = 'INSERT' THEN {_MOVE_ON}; ELSE {_LOCK.format(row='OLD')}; "
        f"{_WORK_OUT.format(row='OLD')}; END IF; "
        "IF TG_OP = 'UPDATE' AND NEW.site_id IS DISTINCT FROM OLD.site_id THEN "
        f"{_LOCK.format(row='NEW')}; {_WORK_OUT.format(row='NEW')}; END IF; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS site_history_added ON audit_events",
        "CREATE TRIGGER site_history_added AFTER INSERT ON audit_events FOR EACH ROW "
        f"WHEN (NEW.{_CHANGES}) EXECUTE FUNCTION site_history_written()",
        "DROP TRIGGER IF EXISTS site_history_rewritten ON audit_events",
        f"CREATE TRIGGER site_history_rewritten AFTER UPDATE OF {_REWRITTEN} OR DELETE "
        "ON audit_events FOR EACH ROW EXECUTE FUNCTION site_history_written()",
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS site_history_added",
        "DROP TRIGGER IF EXISTS site_history_rewritten",
        "DROP TRIGGER IF EXISTS site_history_removed",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS site_history_added ON audit_events",
        "DROP TRIGGER IF EXISTS site_history_rewritten ON audit_events",
        "DROP FUNCTION IF EXISTS site_history_written()",
    ],
}


def upgrade():
    with op.batch_alter_table('site_task_counts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_change_at', sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE site_task_counts SET last_change_at = (SELECT max(at) FROM audit_events"
        f" WHERE audit_events.site_id = site_task_counts.site_id AND {_CHANGES})"
    )
    for statement in TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    for statement in DROP_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    # Not a batch operation: on SQLite that copies the table, and the triggers on `sites`
    # and `tasks` that name it stop the copy taking its name (SQLite 3.35+ drops a column).
    op.execute("ALTER TABLE site_task_counts DROP COLUMN last_change_at")
