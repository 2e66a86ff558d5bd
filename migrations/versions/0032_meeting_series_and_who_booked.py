"""meeting series share a calendar uid and rule; meetings remember who booked them

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06 15:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('series_uid', sa.String(length=120), nullable=True))
        batch_op.add_column(
            sa.Column('series_rule', sa.String(length=120), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('recurrence_id', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_series_uid'), ['series_uid'], unique=False)
        batch_op.create_foreign_key(
            'fk_meetings_booked_by_id_users', 'users', ['booked_by_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint('fk_meetings_booked_by_id_users', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meetings_series_uid'))
        batch_op.drop_column('recurrence_id')
        batch_op.drop_column('series_rule')
        batch_op.drop_column('series_uid')
        batch_op.drop_column('booked_by_id')
