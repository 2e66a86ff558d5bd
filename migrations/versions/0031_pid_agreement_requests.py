"""pid agreement requests: a manager asks the sponsor to agree the PID

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pid_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('comments', sa.Text(), nullable=False),
        sa.Column('version_number', sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('pid_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pid_requests_site_id'), ['site_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pid_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pid_requests_site_id'))
    op.drop_table('pid_requests')
