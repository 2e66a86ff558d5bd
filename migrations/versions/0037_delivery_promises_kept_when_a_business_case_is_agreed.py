"""delivery: what an agreed business case promised (patients identified, assessed, scanned,
treated, adherent at 12 months, staff and yearly cost), per period, kept read-only

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06 15:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0037"
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "delivery_promises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=False),
        sa.Column("kpi_number", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("percent", sa.Double(), nullable=True),
        sa.Column("patients", sa.Double(), nullable=True),
        sa.Column("amount", sa.Double(), nullable=True),
        sa.Column("fractures_per_patient", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_delivery_promises_site_version", "delivery_promises", ["site_id", "version"]
    )


def downgrade():
    op.drop_index("ix_delivery_promises_site_version", table_name="delivery_promises")
    op.drop_table("delivery_promises")
