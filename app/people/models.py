from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.audit import Audited
from app.core.dates import today
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

ENGAGEMENT_STATUSES = {
    "identified": "Identified",
    "contacted": "Contacted",
    "engaged": "Engaged",
    "not_interested": "Not interested",
}
LEVELS = {"high": "High", "low": "Low"}
PREFERRED_CONTACT = {"email": "Email", "phone": "Phone", "either": "Either"}
GROUP_KINDS = {
    "project_team": "Project team",
    "reference_group": "Stakeholder reference group",
    "steering_group": "Steering group",
    "custom": "Other group",
}
OTHER_CATEGORY = "other"
ERASED_NAME = "Erased person"


class Person(Audited, VersionedMixin, TimestampMixin, db.Model):
    """Someone involved in a site's project: a stakeholder, team member or both."""

    __tablename__ = "people"
    # One person per account per site: a member is exactly one entry in the site's people.
    # A unique index rather than a constraint: SQLite adds one without rebuilding the table.
    __table_args__ = (Index("ix_people_site_id_user_id", "site_id", "user_id", unique=True),)
    audit_type = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(160), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # A stakeholder category key from the toolkit, or "other" with category_other filled.
    category: Mapped[str | None] = mapped_column(String(40))
    category_other: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    preferred_contact: Mapped[str] = mapped_column(String(10), default="email")
    notes: Mapped[str] = mapped_column(Text, default="")
    influence: Mapped[str] = mapped_column(String(4), default="low")
    interest: Mapped[str] = mapped_column(String(4), default="low")
    engagement: Mapped[str] = mapped_column(String(20), default="identified")
    added_on: Mapped[date] = mapped_column(default=today)
    # Linked app user: such a person can own tasks and be recognised as the sponsor.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    erased: Mapped[bool] = mapped_column(default=False)

    group_links: Mapped[list[GroupMember]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    def audit_label(self) -> str:
        return self.name


class Group(Audited, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "people_groups"
    audit_type = "group"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="custom")
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # How many members must attend for a meeting of this group to make decisions.
    quorum: Mapped[int | None]

    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )


class GroupMember(Audited, TimestampMixin, db.Model):
    __tablename__ = "group_members"
    __table_args__ = (
        UniqueConstraint("group_id", "person_id", "team_role"),
        # The portfolio finds every site's project manager by role among thousands of rows.
        Index("ix_group_members_team_role", "team_role"),
    )
    audit_type = "group_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("people_groups.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # For the project team: a team-role key from the toolkit; one person may hold several.
    team_role: Mapped[str] = mapped_column(String(40), default="")

    group: Mapped[Group] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(back_populates="group_links")

    def audit_label(self) -> str:
        return f"group #{self.group_id}, person #{self.person_id}"
