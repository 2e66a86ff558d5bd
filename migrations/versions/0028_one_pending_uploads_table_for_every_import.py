"""one pending_uploads table for every import (plan, people, KPIs), replacing pending_plan_imports

The plan import kept uploads awaiting confirmation in pending_plan_imports; the people and
KPI imports now keep theirs in the same table, told apart by `kind`, with the file's name
and when it was confirmed (a confirmed upload stays until purged, to say so). Waiting plan
uploads are copied across.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pending_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_pending_uploads_site_id_sites'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_uploads_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_uploads')),
        sa.UniqueConstraint('token', name=op.f('uq_pending_uploads_token')),
    )
    with op.batch_alter_table('pending_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_uploads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_uploads_site_id'), ['site_id'], unique=False)
    op.execute(
        "INSERT INTO pending_uploads (token, kind, site_id, user_id, filename, content, created_at)"
        " SELECT token, 'plan', site_id, user_id, 'plan.xlsx', content, created_at"
        " FROM pending_plan_imports"
    )
    with op.batch_alter_table('pending_plan_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_plan_imports_site_id'))
        batch_op.drop_index(batch_op.f('ix_pending_plan_imports_created_at'))
    op.drop_table('pending_plan_imports')


def downgrade():
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
    # Only plan uploads still waiting had a home before; the others are dropped.
    op.execute(
        "INSERT INTO pending_plan_imports (token, site_id, user_id, content, created_at)"
        " SELECT token, site_id, user_id, content, created_at FROM pending_uploads"
        " WHERE kind = 'plan' AND confirmed_at IS NULL"
    )
    with op.batch_alter_table('pending_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_uploads_site_id'))
        batch_op.drop_index(batch_op.f('ix_pending_uploads_created_at'))
    op.drop_table('pending_uploads')
