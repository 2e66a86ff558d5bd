"""an agreed recovery plan records when it was changed after the steering group agreed it

A change to what the steering group agreed (the gap, the action, the owner) after its
agreement was recorded marks the plan as changed since; the Phase 5 and 6 criterion no
longer counts it until the agreement is recorded again.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-06 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('raid_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_since_agreed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('raid_entries', schema=None) as batch_op:
        batch_op.drop_column('changed_since_agreed_at')
