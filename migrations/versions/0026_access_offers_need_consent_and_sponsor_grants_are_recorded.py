"""access is offered and accepted (membership_offers), and who made a member sponsor is kept

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'membership_offers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name_given', sa.String(length=120), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('is_sponsor', sa.Boolean(), nullable=False),
        sa.Column('offered_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['site_id'], ['sites.id'], name='fk_membership_offers_site_id_sites', ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name='fk_membership_offers_user_id_users', ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['offered_by_id'],
            ['users.id'],
            name='fk_membership_offers_offered_by_id_users',
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_membership_offers'),
        sa.UniqueConstraint('site_id', 'user_id', name='uq_membership_offers_site_id'),
    )
    with op.batch_alter_table('membership_offers', schema=None) as batch_op:
        batch_op.create_index('ix_membership_offers_site_id', ['site_id'], unique=False)
        batch_op.create_index('ix_membership_offers_user_id', ['user_id'], unique=False)
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sponsor_granted_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_memberships_sponsor_granted_by_id_users',
            'users',
            ['sponsor_granted_by_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint('fk_memberships_sponsor_granted_by_id_users', type_='foreignkey')
        batch_op.drop_column('sponsor_granted_by_id')
    with op.batch_alter_table('membership_offers', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_offers_user_id')
        batch_op.drop_index('ix_membership_offers_site_id')
    op.drop_table('membership_offers')
