"""history rows name the record they belong to (a mitigation's RAID entry) by id

The RAID entry page listed its mitigations' history by matching the label text
"mitigation of entry #N". Rows now carry parent_type and parent_id; existing mitigation
rows get theirs from that label, which the app wrote in exactly that form.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 15:00:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

MITIGATION_LABEL = re.compile(r"mitigation of entry #(\d+)")


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_type', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_audit_events_parent', ['parent_type', 'parent_id'], unique=False)

    audit = sa.table(
        'audit_events',
        sa.column('id', sa.Integer),
        sa.column('object_type', sa.String),
        sa.column('label', sa.String),
        sa.column('parent_type', sa.String),
        sa.column('parent_id', sa.Integer),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(audit.c.id, audit.c.label).where(audit.c.object_type == 'raid_mitigation')
    ).all()
    by_entry = {}
    for row_id, label in rows:
        found = MITIGATION_LABEL.fullmatch(label or '')
        if found:
            by_entry.setdefault(int(found.group(1)), []).append(row_id)
    for entry_id, ids in by_entry.items():
        bind.execute(
            audit.update()
            .where(audit.c.id.in_(ids))
            .values(parent_type='raid_entry', parent_id=entry_id)
        )


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_parent')
        batch_op.drop_column('parent_id')
        batch_op.drop_column('parent_type')
