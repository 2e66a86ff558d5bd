"""tasks remember when the app completed them from a fact it checks

A task whose outcome the app can see (a champion named, every team role filled, ...) is
completed by the app when the fact holds; `completed_by_app` lets it reopen the task if
the fact stops holding, without undoing a completion a person made.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, not batch mode: batch would copy `tasks` on SQLite and drop the
    # task-count triggers installed by 0022.
    op.add_column(
        'tasks',
        sa.Column('completed_by_app', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    # SQLite 3.35+ drops a column in place, so the triggers on `tasks` stay.
    op.drop_column('tasks', 'completed_by_app')
