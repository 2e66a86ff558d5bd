"""two-factor secrets sealed at rest: users.totp_secret (plain base32) becomes
users.totp_secret_sealed (Fernet, keyed from TOTP_KEY or SECRET_KEY)

Existing secrets are sealed in place, so nobody has to set their authenticator up again.
The sealing below is a frozen copy of app/accounts/sealed.py at this revision (migrations
import nothing from the app); it reads the key from the running app's settings.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-06 18:05:00

"""
import base64

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None

users = sa.table(
    'users',
    sa.column('id', sa.Integer),
    sa.column('totp_secret', sa.String),
    sa.column('totp_secret_sealed', sa.String),
)


def _box() -> Fernet:
    material = current_app.config.get("TOTP_KEY") or current_app.config["SECRET_KEY"]
    key = HKDF(
        algorithm=SHA256(), length=32, salt=None, info=b"fls-tracker two-factor secrets"
    ).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _rewrite(source: str, target: str, change) -> None:
    """Every secret in `source`, changed by `change`, written to `target`."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(users.c.id, users.c[source]).where(users.c[source].is_not(None))
    ).all()
    if not rows:
        return
    box = _box()
    for user_id, value in rows:
        connection.execute(
            users.update().where(users.c.id == user_id).values({target: change(box, value)})
        )


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret_sealed', sa.String(length=255), nullable=True))
    _rewrite('totp_secret', 'totp_secret_sealed', lambda box, plain: box.encrypt(plain.encode()).decode())
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
    _rewrite('totp_secret_sealed', 'totp_secret', lambda box, sealed: box.decrypt(sealed.encode()).decode())
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_secret_sealed')
