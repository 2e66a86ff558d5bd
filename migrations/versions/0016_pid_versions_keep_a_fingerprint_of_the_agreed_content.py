"""PID versions keep a fingerprint of the agreed content

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28 08:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    # Existing versions get an empty fingerprint: the app then falls back to comparing the
    # narrative's last edit with the moment the version was agreed.
    with op.batch_alter_table("pid_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_hash", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("pid_versions", schema=None) as batch_op:
        batch_op.drop_column("content_hash")
