"""the outbox stores shared attachments once and builds messages at send time

A meeting's agenda .docx was stored once per invitee inside each whole message (362 MB
for the first reminders at 1,000 sites). Shared content (attachments, calendars) is now a
row of mail_parts keyed by its SHA-256; a message keeps its own recipient name, text and
scope, and the sender builds it when it goes. Rows queued before keep their whole message
in mail_outbox.message and are sent as they are. An agenda is not stored at all: the
link names the document ("agenda:<meeting id>") and the sender writes it when it goes.
A message keeps its HTML part's link and button and its calendar's file name, so the
message built at send time is the one queueing would have built.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06 15:12:39.709492

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_parts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_parts')),
    sa.UniqueConstraint('digest', name=op.f('uq_mail_parts_digest'))
    )
    op.create_table('mail_outbox_attachments',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=True),
    sa.Column('document', sa.String(length=60), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('maintype', sa.String(length=40), nullable=False),
    sa.Column('subtype', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['mail_outbox.id'], name=op.f('fk_mail_outbox_attachments_message_id_mail_outbox'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['part_id'], ['mail_parts.id'], name=op.f('fk_mail_outbox_attachments_part_id_mail_parts')),
    sa.PrimaryKeyConstraint('message_id', 'position', name=op.f('pk_mail_outbox_attachments'))
    )
    with op.batch_alter_table('mail_outbox_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_attachments_part_id'), ['part_id'], unique=False)

    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_name', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('scope', sa.String(length=12), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('calendar_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('calendar_method', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('calendar_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('link', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('button', sa.String(length=200), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_mail_outbox_calendar_id'), ['calendar_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_mail_outbox_calendar_id_mail_parts'), 'mail_parts', ['calendar_id'], ['id'])



def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mail_outbox_calendar_id_mail_parts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_mail_outbox_calendar_id'))
        batch_op.drop_column('button')
        batch_op.drop_column('link')
        batch_op.drop_column('calendar_name')
        batch_op.drop_column('calendar_method')
        batch_op.drop_column('calendar_id')
        batch_op.drop_column('body')
        batch_op.drop_column('scope')
        batch_op.drop_column('recipient_name')

    with op.batch_alter_table('mail_outbox_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_attachments_part_id'))

    op.drop_table('mail_outbox_attachments')
    op.drop_table('mail_parts')
