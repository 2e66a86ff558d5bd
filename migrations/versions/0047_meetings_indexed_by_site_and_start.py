"""meetings: index (site_id, starts_at), which replaces ix_meetings_site_id

A site's next meeting and its last steering group are read in date order and stop at the
first match. No index led with the site and ordered by start, so PostgreSQL could walk
ix_meetings_starts_at through every site's meetings until it met one of this site's (CI's
plan test caught it choosing that, depending on the hour). This index keeps the read within
the site; it leads with site_id, so the index on site_id alone is dropped (as 0044 did for
KPI values).

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-07 00:30:00

"""
from alembic import op


revision = '0047'
down_revision = '0046'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_site_starts', ['site_id', 'starts_at'], unique=False)
        batch_op.drop_index('ix_meetings_site_id')


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_site_id', ['site_id'], unique=False)
        batch_op.drop_index('ix_meetings_site_starts')
