"""service specification: the NHS Standard Contract header (contract number, leads, period,
review date) on the business case, and the choice of a lifetime horizon for the cohort model

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 15:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("business_cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contract_number", sa.String(length=60), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("commissioner_lead", sa.String(length=160), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("provider_lead", sa.String(length=160), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("contract_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("contract_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("review_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("lifetime", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("business_cases", schema=None) as batch_op:
        batch_op.drop_column("lifetime")
        batch_op.drop_column("review_date")
        batch_op.drop_column("contract_end")
        batch_op.drop_column("contract_start")
        batch_op.drop_column("provider_lead")
        batch_op.drop_column("commissioner_lead")
        batch_op.drop_column("contract_number")
