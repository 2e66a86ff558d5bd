"""mail_outbox.subject: text, kept whole (the message is built from it when sent)

Since #34 a queued message is stored as its parts and built when it is sent, but the
subject was still cut to 300 characters for the admin page, so a long meeting title in a
long site name went out with a clipped subject (the mail property test found it). The
column becomes text and the subject is stored whole.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-07 00:45:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0048'
down_revision = '0047'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column(
            'subject', existing_type=sa.String(length=300), type_=sa.Text(), existing_nullable=False
        )


def downgrade():
    # A subject longer than the old column is cut to fit, as it was stored before.
    op.execute("UPDATE mail_outbox SET subject = substr(subject, 1, 300)")
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column(
            'subject', existing_type=sa.Text(), type_=sa.String(length=300), existing_nullable=False
        )
