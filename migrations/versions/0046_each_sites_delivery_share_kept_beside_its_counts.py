"""each site's delivery share kept beside its task counts, marked out of date by triggers

The portfolio worked out every site's delivery share (`share_from` over its promise and
KPI counts) on every view: 617 ms of a 687 ms page at 1,000 sites holding an agreed case
(#34). `site_task_counts` now keeps the share with `delivery_version`, raised by triggers on
`delivery_promises` and `kpi_values` however they are written, and the version and day it
was taken at. Existing sites have no share kept yet (counted version NULL), so each is
taken on the first portfolio view or by the daily `flask send-reminders`. Written out in
full (a migration imports nothing from `app`); the models hold the same triggers
(`app.portfolio.models.TRIGGERS`).

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-06 22:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0046"
down_revision = "0045"
branch_labels = None
depends_on = None


COLUMNS = (
    ("delivery_version", sa.Integer(), False, "0"),
    ("delivery_counted_version", sa.Integer(), True, None),
    ("delivery_counted_on", sa.Date(), True, None),
    ("delivery_found", sa.Integer(), True, None),
    ("delivery_found_promised", sa.Integer(), True, None),
    ("delivery_treated", sa.Integer(), True, None),
    ("delivery_treated_promised", sa.Integer(), True, None),
)
TABLES = ("delivery_promises", "kpi_values")
_RAISE = (
    "UPDATE site_task_counts SET delivery_version = delivery_version + 1"
    " WHERE site_id = {row}.site_id"
)
TRIGGERS = {"sqlite": [], "postgresql": []}
DROP_TRIGGERS = {"sqlite": [], "postgresql": []}
for _table in TABLES:
    TRIGGERS["sqlite"] += [
        f"CREATE TRIGGER IF NOT EXISTS {_table}_added AFTER INSERT ON {_table} BEGIN "
        f"{_RAISE.format(row='NEW')}; END",
        f"CREATE TRIGGER IF NOT EXISTS {_table}_changed AFTER UPDATE ON {_table} BEGIN "
        f"{_RAISE.format(row='OLD')}; "
        f"{_RAISE.format(row='NEW')} AND NEW.site_id IS NOT OLD.site_id; END",
        f"CREATE TRIGGER IF NOT EXISTS {_table}_removed AFTER DELETE ON {_table} BEGIN "
        f"{_RAISE.format(row='OLD')}; END",
    ]
    DROP_TRIGGERS["sqlite"] += [
        f"DROP TRIGGER IF EXISTS {_table}_{what}" for what in ("added", "changed", "removed")
    ]
TRIGGERS["postgresql"].append(
    "CREATE OR REPLACE FUNCTION delivery_changed() RETURNS trigger LANGUAGE plpgsql "
    f"AS $$ BEGIN IF TG_OP <> 'INSERT' THEN {_RAISE.format(row='OLD')}; END IF; "
    "IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.site_id IS DISTINCT FROM OLD.site_id) "
    f"THEN {_RAISE.format(row='NEW')}; END IF; RETURN NULL; END $$"
)
for _table in TABLES:
    TRIGGERS["postgresql"] += [
        f"DROP TRIGGER IF EXISTS {_table}_changed ON {_table}",
        f"CREATE TRIGGER {_table}_changed AFTER INSERT OR UPDATE OR DELETE ON {_table} "
        "FOR EACH ROW EXECUTE FUNCTION delivery_changed()",
    ]
    DROP_TRIGGERS["postgresql"].append(f"DROP TRIGGER IF EXISTS {_table}_changed ON {_table}")
DROP_TRIGGERS["postgresql"].append("DROP FUNCTION IF EXISTS delivery_changed()")


def upgrade():
    # Added in place (SQLite's ALTER TABLE ADD COLUMN: no copy of the table).
    with op.batch_alter_table("site_task_counts", schema=None) as batch_op:
        for name, kind, nullable, default in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=nullable, server_default=default))
    for statement in TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    for statement in DROP_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    # Not a batch operation: on SQLite that copies the table, and the triggers on `sites`,
    # `tasks` and `audit_events` that name it stop the copy taking its name (SQLite 3.35+
    # drops a column).
    for name, _kind, _nullable, _default in reversed(COLUMNS):
        op.execute(f"ALTER TABLE site_task_counts DROP COLUMN {name}")
