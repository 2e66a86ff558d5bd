"""kept task counts hold the due date of each site's longest-overdue open task (the
portfolio's need score counts its days overdue)

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06 15:55:00

An added column: SQLite adds it in place (no table copy), so the triggers on `tasks` and
`sites` stay. Every site's counts are marked out of date (`counted_on` emptied), so the next
portfolio view counts them again and fills the new column.
"""

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = '0037'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("site_task_counts", sa.Column("oldest_overdue", sa.Date(), nullable=True))
    op.execute("UPDATE site_task_counts SET counted_on = NULL")


def downgrade():
    with op.batch_alter_table("site_task_counts") as batch_op:
        batch_op.drop_column("oldest_overdue")
