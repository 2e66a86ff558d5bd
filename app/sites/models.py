from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.audit import Audited
from app.core.dates import utcnow
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
    # Who made this member the sponsor (None: an administrator or the command line, or
    # before this was recorded). The person who asked for a gateway review may not be the
    # one who made its signer the sponsor (app.gateways.service.sign_off).
    sponsor_granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    site: Mapped[Site] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def audit_label(self) -> str:
        return f"membership of user #{self.user_id}"


class MembershipOffer(db.Model):
    """Access a manager offered: it becomes a membership only when the person accepts it,
    signed in as themselves (their home page lists it).

    `name_given` is the name the manager typed: the manager sees it, never the account's own
    name, so adding an email tells them nothing about whether it has an account.
    """

    __tablename__ = "membership_offers"
    __table_args__ = (UniqueConstraint("site_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name_given: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    is_sponsor: Mapped[bool] = mapped_column(default=False)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()
