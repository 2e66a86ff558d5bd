from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.audit import Audited
from app.core.dates import utcnow
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db
from app.people.models import Person
from app.toolkit.vocabulary import RAG_LABELS, REPORTABLE_RAG

TASK_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "blocked": "Blocked",
    "complete": "Complete",
    "not_applicable": "Not applicable",
}
RAG_VALUES = {key: RAG_LABELS[key] for key in REPORTABLE_RAG}
SERVICE_KINDS = {"new": "A new service", "improving": "Improving an existing service"}


class Plan(Audited, VersionedMixin, TimestampMixin, db.Model):
    """A site's project plan: which task library it started from, and when."""

    __tablename__ = "plans"
    audit_type = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), unique=True, index=True
    )
    service_kind: Mapped[str] = mapped_column(String(20), default="new")
    start_date: Mapped[date]

    def audit_label(self) -> str:
        return "project plan"


class Task(Audited, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        # Holds every column the portfolio's per-site roll-up reads, so it never visits the
        # table itself (30,000 tasks at 200 sites).
        Index("ix_tasks_rollup", "site_id", "status", "essential", "due_date", "reported_rag"),
    )
    audit_type = "task"
    # the status row in the history already says the app made the change
    audit_exclude = frozenset({"completed_by_app"})

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    phase: Mapped[int]  # 0 = Manage and Lead, 1-6 the toolkit's phases
    position: Mapped[int] = mapped_column(default=0)  # order within the phase
    library_key: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    guidance: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    start_date: Mapped[date | None]
    due_date: Mapped[date | None]
    completed_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    essential: Mapped[bool] = mapped_column(default=False)
    milestone: Mapped[bool] = mapped_column(default=False)
    predecessor_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    # A RAG someone reports instead of the one the dates give, with their reason.
    reported_rag: Mapped[str | None] = mapped_column(String(5))
    reported_rag_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # completed by the app because a fact it checks holds (the toolkit task's `done_when`),
    # so it is reopened if the fact stops holding; a person's completion is never undone
    completed_by_app: Mapped[bool] = mapped_column(default=False, server_default=false())

    owner: Mapped[Person | None] = relationship()
    predecessor: Mapped[Task | None] = relationship(remote_side=[id])
    comments: Mapped[list[TaskComment]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskComment.created_at"
    )


class TaskComment(db.Model):
    __tablename__ = "task_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship(back_populates="comments")
