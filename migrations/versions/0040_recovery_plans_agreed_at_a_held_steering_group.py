"""a recovery plan in the RAID log records the steering-group meeting that agreed it

The Phase 5 and 6 criterion "the steering group has agreed a recovery plan" counts a plan
only once it is recorded as agreed at a held steering-group meeting of its site; who
recorded it and when are kept beside it.

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-06 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('raid_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_meeting_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agreed_recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agreed_recorded_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_raid_entries_agreed_meeting_id_meetings'), 'meetings',
            ['agreed_meeting_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_raid_entries_agreed_recorded_by_id_users'), 'users',
            ['agreed_recorded_by_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('raid_entries', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_raid_entries_agreed_recorded_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_constraint(
            batch_op.f('fk_raid_entries_agreed_meeting_id_meetings'), type_='foreignkey'
        )
        batch_op.drop_column('agreed_recorded_at')
        batch_op.drop_column('agreed_recorded_by_id')
        batch_op.drop_column('agreed_meeting_id')
