from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.audit import Audited
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")
SERVICE_STATUSES = {
    "new": "New (newly commissioned)",
    "developing": "Developing",
    "improving": "Improving an existing service",
}
SITE_ROLE_CHOICES = [("viewer", "Viewer"), ("editor", "Editor"), ("manager", "Manager")]


class Site(Audited, VersionedMixin, TimestampMixin, db.Model):
    """One FLS project at one trust or health board."""

    __tablename__ = "sites"
    audit_type = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    organisation: Mapped[str] = mapped_column(String(200))
    nation: Mapped[str] = mapped_column(String(30), default="England")
    region: Mapped[str] = mapped_column(String(80), default="")
    commissioner: Mapped[str] = mapped_column(String(200), default="")
    population_50_plus: Mapped[int | None]
    service_status: Mapped[str] = mapped_column(String(20), default="new")
    start_date: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")
    # Days before a meeting that its agenda is emailed to the invitees.
    agenda_notice_days: Mapped[int] = mapped_column(default=5, server_default="5")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="site", cascade="all, delete-orphan"
    )

    @property
    def status_name(self) -> str:
        return SERVICE_STATUSES.get(self.service_status, self.service_status)

    def audit_site_id(self) -> int:
        return self.id


class Membership(Audited, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("site_id", "user_id"),)
    audit_type = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    is_sponsor: Mapped[bool] = mapped_column(default=False)

    site: Mapped[Site] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    def audit_label(self) -> str:
        return f"membership of user #{self.user_id}"
