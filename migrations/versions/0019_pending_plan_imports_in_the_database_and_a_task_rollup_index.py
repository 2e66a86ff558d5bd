"""pending plan imports kept in the database; an index for the portfolio's task roll-up

Revision ID: 0019
Revises: 0016
Create Date: 2026-11-28 08:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pending_plan_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_pending_plan_imports_site_id_sites'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_plan_imports_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_plan_imports')),
        sa.UniqueConstraint('token', name=op.f('uq_pending_plan_imports_token')),
    )
    with op.batch_alter_table('pending_plan_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_plan_imports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_plan_imports_site_id'), ['site_id'], unique=False)
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_rollup', ['site_id', 'status', 'essential', 'due_date', 'reported_rag'], unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_rollup')
    with op.batch_alter_table('pending_plan_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_plan_imports_site_id'))
        batch_op.drop_index(batch_op.f('ix_pending_plan_imports_created_at'))
    op.drop_table('pending_plan_imports')
