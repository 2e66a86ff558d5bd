"""figure_headlines: each site's headline figures as its documents state them (fractures
and hip fractures prevented among one year's patients over the business case's horizon),
kept beside the needs version and business case version they were worked out from, so the
portfolio shows the documents' figures instead of the needs model's "from five years of
patients". The app writes a row whenever the needs figures or the business case are saved.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-06 18:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0043"
down_revision = "0042"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "figure_headlines",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("needs_version_id", sa.Integer(), nullable=True),
        sa.Column("case_version", sa.Integer(), nullable=True),
        sa.Column("fractures_prevented", sa.Integer(), nullable=True),
        sa.Column("hip_prevented", sa.Integer(), nullable=True),
        sa.Column("horizon", sa.String(length=60), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["needs_version_id"], ["needs_versions.id"], ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("site_id"),
    )


def downgrade():
    op.drop_table("figure_headlines")
