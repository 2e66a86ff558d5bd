from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import Audited
from app.core.dates import utcnow
from app.core.db import VersionedMixin
from app.extensions import db

GLOBAL_ROLE_NAMES = {None: "None", "support": "Support staff", "admin": "Administrator"}


class User(UserMixin, Audited, VersionedMixin, db.Model):
    __tablename__ = "users"
    audit_type = "user"
    audit_exclude = frozenset({"password_hash", "session_version", "last_login_at"})

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
