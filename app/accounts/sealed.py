"""Two-factor secrets sealed at rest: a copy of the database alone cannot make codes.

The key is derived from TOTP_KEY, or from SECRET_KEY when that is not set; both live in
the environment, never in the database. Changing the key stops every authenticator app
already set up (people then sign in with a recovery code and set two-factor up again), so a
deployment that rotates SECRET_KEY sets TOTP_KEY once and keeps it.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

# The HKDF label: a key for this purpose only, even when derived from SECRET_KEY.
PURPOSE = b"fls-tracker two-factor secrets"


def _box() -> Fernet:
    material = current_app.config.get("TOTP_KEY") or current_app.config["SECRET_KEY"]
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=PURPOSE).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _box().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    """The secret, or None when it was sealed with another key."""
    try:
        return _box().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
