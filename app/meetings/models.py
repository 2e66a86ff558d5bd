from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.audit import Audited
from app.core.dates import utcnow
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db
from app.people.models import Group, Person
from app.plan.models import Task

MEETING_KINDS = {
    "project_team": "Project team",
    "reference_group": "Stakeholder reference group",
    "steering_group": "Steering group",
    "engagement_event": "Engagement event",
    "other": "Other meeting",
}
ATTENDANCE = {"present": "Present", "apologies": "Apologies", "absent": "Absent"}
ACTION_STATUSES = {"open": "Open", "done": "Done", "dropped": "Dropped"}
# The items a steering group expects on every agenda, in the order they are taken.
STANDING_ITEMS = (
    ("apologies", "Welcome and apologies", 5),
    ("last_minutes", "Minutes of the last meeting", 5),
    ("action_review", "Action log review", 10),
    ("progress", "Progress against the plan", 15),
    ("risks", "Risks and issues", 10),
    ("aob", "Any other business", 5),
)
ACTION_REVIEW = "action_review"


class Meeting(Audited, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "meetings"
    # Each site's next and last meeting, read from the index alone (the portfolio, 200 sites).
    __table_args__ = (
        Index("ix_meetings_next_and_last", "site_id", "cancelled", "ends_at", "starts_at"),
        # A site's meetings in date order (its next meeting, its last steering group): read
        # within the site, not by walking every site's meetings along starts_at. It also
        # serves every lookup by site alone, so site_id has no index of its own.
        Index("ix_meetings_site_starts", "site_id", "starts_at"),
    )
    audit_type = "meeting"
    # calendar bookkeeping, not something a person changes
    audit_exclude = frozenset(
        {"ics_sequence", "booked_by_id", "series_uid", "series_rule", "recurrence_id"}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="project_team")
    title: Mapped[str] = mapped_column(String(200))
    # Naive UTC; shown and typed in Europe/London time.
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(200), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    minute_taker_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("people_groups.id", ondelete="SET NULL")
    )
    cancelled: Mapped[bool] = mapped_column(default=False)
    minutes_issued_at: Mapped[datetime | None]
    # RFC 5545 SEQUENCE: raised whenever something a calendar shows changes.
    ics_sequence: Mapped[int] = mapped_column(default=0)
    # Who booked it: the calendar's ORGANIZER (replies go to them, not to the chair).
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A meeting of a series shares the series' calendar UID and recurrence rule (one
    # invitation per person); `recurrence_id` is the start the rule gave it (naive UTC), so
    # a change to this one meeting updates that occurrence (RECURRENCE-ID) in calendars.
    series_uid: Mapped[str | None] = mapped_column(String(120), index=True)
    series_rule: Mapped[str] = mapped_column(String(120), default="")
    recurrence_id: Mapped[datetime | None]

    chair: Mapped[Person | None] = relationship(foreign_keys=[chair_id])
    booked_by: Mapped[User | None] = relationship(foreign_keys=[booked_by_id])
    minute_taker: Mapped[Person | None] = relationship(foreign_keys=[minute_taker_id])
    group: Mapped[Group | None] = relationship()
    invitees: Mapped[list[Invitee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="(AgendaItem.position, AgendaItem.id)",
    )

    @property
    def has_started(self) -> bool:
        """Minutes (and issuing them) only make sense once the meeting has begun."""
        return self.starts_at <= utcnow()

    @property
    def kind_name(self) -> str:
        return MEETING_KINDS.get(self.kind, self.kind)


class Invitee(Audited, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "meeting_invitees"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
    audit_type = "meeting_invitee"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    attendance: Mapped[str | None] = mapped_column(String(12))

    meeting: Mapped[Meeting] = relationship(back_populates="invitees")
    person: Mapped[Person] = relationship()

    def audit_label(self) -> str:
        return f"meeting #{self.meeting_id}, person #{self.person_id}"


class AgendaItem(Audited, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "agenda_items"
    audit_type = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    minutes_allotted: Mapped[int | None]
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    gateway_phase: Mapped[int | None]  # 1-6: the phase whose gateway the item discusses
    standing_key: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    presenter: Mapped[Person | None] = relationship()
    task: Mapped[Task | None] = relationship()


class Action(Audited, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "meeting_actions"
    audit_type = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="open")
    completed_on: Mapped[date | None]
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting | None] = relationship()
    owner: Mapped[Person | None] = relationship()
    task: Mapped[Task | None] = relationship()

    def audit_label(self) -> str:
        return self.description[:120]

    def is_overdue(self, on: date) -> bool:
        return self.status == "open" and self.due_date is not None and self.due_date < on
