from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import Audited
from app.core.dates import utcnow
from app.extensions import db

GLOBAL_ROLE_NAMES = {None: "None", "support": "Support staff", "admin": "Administrator"}


class User(UserMixin, Audited, db.Model):
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
