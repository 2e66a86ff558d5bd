from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.audit import Audited
from app.core.dates import utcnow
from app.core.db import VersionedMixin
from app.extensions import db

GLOBAL_ROLE_NAMES = {None: "None", "support": "Support staff", "admin": "Administrator"}


class User(UserMixin, Audited, VersionedMixin, db.Model):
    __tablename__ = "users"
    audit_type = "user"
    audit_exclude = frozenset(
        {
            "password_hash",
            "session_version",
            "last_login_at",
            "last_login_method",
            "totp_secret_sealed",
            "totp_last_step",
        }
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    global_role: Mapped[str | None] = mapped_column(String(20))
    # Bumped on logout, password change and deactivation: every older session stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Set when someone else chose the password (an administrator): changed at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # "password" or "sso": how the person last signed in (shown to administrators).
    last_login_method: Mapped[str | None] = mapped_column(String(20))
    # The one-time-code secret once two-factor is set up, sealed (app/accounts/sealed.py);
    # None when it is off.
    totp_secret_sealed: Mapped[str | None] = mapped_column(String(255))
    # The last time step a code was accepted for: the same code cannot be used twice.
    totp_last_step: Mapped[int | None]
    two_factor_since: Mapped[datetime | None]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.global_role == "admin"

    @property
    def is_support(self) -> bool:
        return self.global_role in ("support", "admin")

    @property
    def global_role_name(self) -> str:
        return GLOBAL_ROLE_NAMES.get(self.global_role, "None")

    def audit_label(self) -> str:
        return f"user #{self.id}"

    def audit_site_id(self) -> None:
        return None


class Invitation(db.Model):
    """A single-use link that lets a new user choose their own password.

    Only a hash of the token is stored: the link itself is shown once to whoever sent it
    and emailed to the invitee (the outbox drops the email's body once it is delivered).
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # A newer invitation for the same person replaces this one.
    revoked: Mapped[bool] = mapped_column(default=False)


class PasswordReset(db.Model):
    """A single-use link, valid for an hour, with which someone chooses a new password.

    Only a SHA-256 hash of the token is stored; the link goes out by email only.
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # A newer link for the same person, or a password change, replaces this one.
    revoked: Mapped[bool] = mapped_column(default=False)


class RecoveryCode(db.Model):
    """One of the ten single-use codes that stand in for a lost authenticator (keyed hash)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class UserSession(db.Model):
    """One signed-in browser: listed on the account page, ended from there.

    The browser's cookie carries a random key whose hash is stored here; a request whose
    record is missing or ended is signed out.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(String(20), default="password")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the second factor was given (or the identity provider vouched for it).
    second_factor_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class ExternalIdentity(db.Model):
    """An account's identity at an OpenID Connect provider: issuer and subject, never email."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
