"""mail choices per kind: gateway mail has its own choice, apart from the reminder digest

mail_preferences.frequency used to govern both the reminder digest and gateway mail, and
one unsubscribe token ("updates") was shared by both, so stopping the Monday summary set
"none" and also stopped review requests. frequency now governs the digest alone and
gateway_mail (review requests and decisions) is its own choice. Every existing row gets
gateway_mail true: a sponsor whose setting became "none" through the old shared token
keeps receiving the review requests they must act on.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06 15:20:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0034"
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("mail_preferences", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("gateway_mail", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade():
    with op.batch_alter_table("mail_preferences", schema=None) as batch_op:
        batch_op.drop_column("gateway_mail")
