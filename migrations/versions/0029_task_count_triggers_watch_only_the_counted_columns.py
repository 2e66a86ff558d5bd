"""task-count triggers watch only the columns the counting rule reads

Commit 0dc023c narrowed the triggers on `tasks` (installed by 0022) to the columns the
portfolio's counting rule reads (site_id, status, essential, due_date, reported_rag), so a
task's title, owner or notes can change without its site being counted again. It changed
only the models' copy (`create_all`); this brings every migrated database to the same
triggers by dropping them and creating them again. Written out in full, as they are today:
a migration imports nothing from `app`.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 14:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


_BUMP = (
    "UPDATE site_task_counts SET tasks_version = tasks_version + 1 WHERE site_id = {row}.site_id"
)
_START = "INSERT INTO site_task_counts (site_id, tasks_version) VALUES (NEW.id, 0)"


def _triggers(watched: str) -> dict[str, list[str]]:
    """The triggers, firing on an update of `watched` ("" for an update of any column)."""
    of = f" OF {watched}" if watched else ""
    return {
        "sqlite": [
            "CREATE TRIGGER IF NOT EXISTS site_task_counts_start AFTER INSERT ON sites BEGIN "
            f"{_START}; END",
            "CREATE TRIGGER IF NOT EXISTS tasks_added AFTER INSERT ON tasks BEGIN "
            f"{_BUMP.format(row='NEW')}; END",
            f"CREATE TRIGGER IF NOT EXISTS tasks_changed AFTER UPDATE{of} ON tasks BEGIN "
            f"{_BUMP.format(row='OLD')}; {_BUMP.format(row='NEW')} AND NEW.site_id <> OLD.site_id;"
            " END",
            "CREATE TRIGGER IF NOT EXISTS tasks_removed AFTER DELETE ON tasks BEGIN "
            f"{_BUMP.format(row='OLD')}; END",
        ],
        "postgresql": [
            "CREATE OR REPLACE FUNCTION site_task_counts_start() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {_START}; RETURN NULL; END $$",
            "CREATE TRIGGER site_task_counts_start AFTER INSERT ON sites "
            "FOR EACH ROW EXECUTE FUNCTION site_task_counts_start()",
            "CREATE OR REPLACE FUNCTION tasks_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF TG_OP <> 'INSERT' THEN {_BUMP.format(row='OLD')}; END IF; "
            "IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.site_id <> OLD.site_id) THEN "
            f"{_BUMP.format(row='NEW')}; END IF; RETURN NULL; END $$",
            f"CREATE TRIGGER tasks_changed AFTER INSERT OR UPDATE{of} OR DELETE ON tasks "
            "FOR EACH ROW EXECUTE FUNCTION tasks_changed()",
        ],
    }


_DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS site_task_counts_start",
        "DROP TRIGGER IF EXISTS tasks_added",
        "DROP TRIGGER IF EXISTS tasks_changed",
        "DROP TRIGGER IF EXISTS tasks_removed",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS site_task_counts_start ON sites",
        "DROP TRIGGER IF EXISTS tasks_changed ON tasks",
        "DROP FUNCTION IF EXISTS site_task_counts_start()",
        "DROP FUNCTION IF EXISTS tasks_changed()",
    ],
}

COUNTED_COLUMNS = "site_id, status, essential, due_date, reported_rag"


def _replace_triggers(watched: str) -> None:
    dialect = op.get_bind().dialect.name
    for statement in _DROP[dialect] + _triggers(watched)[dialect]:
        op.execute(statement)


def upgrade():
    _replace_triggers(COUNTED_COLUMNS)


def downgrade():
    # Back to 0022's triggers, which fire on an update of any column.
    _replace_triggers("")
