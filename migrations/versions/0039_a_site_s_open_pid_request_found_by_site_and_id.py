"""a site's open request to agree the PID found by (site_id, id), not by walking every site's

The documents page and the PID read a site's newest waiting request with ORDER BY
pid_requests.id DESC LIMIT 1; with only (site_id) and the primary key, PostgreSQL walked
the primary key backwards through every site's requests.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-06 16:15:00

"""
from alembic import op


revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pid_requests', schema=None) as batch_op:
        batch_op.create_index('ix_pid_requests_site_id_id', ['site_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('pid_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_pid_requests_site_id_id')
