"""outbox messages carry the claim token of the sender run holding them

A sender re-checks its claim right before each message goes, so a run whose claim went
stale (a slow mail server) never sends a message another run has taken over.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('claim')
