"""kpi_values: drop ix_kpi_values_site_id, which the unique (site_id, kpi_number, period_start) covers

The portfolio's "Delivering its case" column reads each site's measured KPI values since its
promise (site_id, kpi_number IN (...), period_start >= ...). With both indexes PostgreSQL
took the one on site_id alone and filtered every KPI value of every site (264 rows a site,
a quarter of the portfolio statement's 217 ms at 1,000 sites, #34); the unique index,
which leads with site_id, serves every per-site lookup and the foreign key's cascade, and
bounds that read by KPI and date (the statement fell to 58 ms under the same load).

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-06 18:15:00

"""
from alembic import op


revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kpi_values', schema=None) as batch_op:
        batch_op.drop_index('ix_kpi_values_site_id')


def downgrade():
    with op.batch_alter_table('kpi_values', schema=None) as batch_op:
        batch_op.create_index('ix_kpi_values_site_id', ['site_id'], unique=False)
