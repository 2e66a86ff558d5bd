"""What the team writes for the PID, and the PID versions the sponsor has agreed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.audit import Audited
from app.core.dates import utcnow
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

# Narrative fields: (column, label, hint, character limit). The limits keep the PID
# within four printed pages; the form states each one.
NARRATIVE_FIELDS: tuple[tuple[str, str, str, int], ...] = (
    (
        "purpose",
        "Purpose and background",
        "Why your area needs a fracture liaison service, in plain English.",
        1500,
    ),
    (
        "aims",
        "Aims and objectives",
        "What the project will achieve. One objective a line works well.",
        1200,
    ),
    ("scope_in", "In scope", "What the project covers: patients, places, services.", 800),
    ("scope_out", "Out of scope", "What the project does not cover, so nobody expects it.", 800),
    (
        "get_involved",
        "How to get involved",
        "How patients, carers and colleagues can take part or give their views.",
        800,
    ),
    ("contact_name", "Contact name", "Who people should contact about the project.", 120),
    ("contact_details", "Contact details", "An email address or phone number.", 200),
)
NARRATIVE_LIMITS = {name: limit for name, _label, _hint, limit in NARRATIVE_FIELDS}
NARRATIVE_LABELS = {name: label for name, label, _hint, _limit in NARRATIVE_FIELDS}


class PidNarrative(Audited, VersionedMixin, TimestampMixin, db.Model):
    """The few paragraphs of the PID that only the team can write; one row per site."""

    __tablename__ = "pid_narratives"
    audit_type = "pid_narrative"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), unique=True, index=True
    )
    purpose: Mapped[str] = mapped_column(Text, default="")
    aims: Mapped[str] = mapped_column(Text, default="")
    scope_in: Mapped[str] = mapped_column(Text, default="")
    scope_out: Mapped[str] = mapped_column(Text, default="")
    get_involved: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_details: Mapped[str] = mapped_column(String(200), default="")

    def audit_label(self) -> str:
        return "PID narrative"


class PidVersion(Audited, db.Model):
    """A version of the PID the sponsor agreed ("v1.0 agreed by … on …")."""

    __tablename__ = "pid_versions"
    __table_args__ = (UniqueConstraint("site_id", "number"),)
    audit_type = "pid_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(12))
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agreed_on: Mapped[date]
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(String(300), default="")
    # A fingerprint of the PID's content when it was agreed (fingerprint.content_fingerprint), so
    # a later change shows as "changed since agreement". Empty for older versions.
    content_hash: Mapped[str] = mapped_column(String(64), default="")

    agreed_by: Mapped[User | None] = relationship()

    def audit_label(self) -> str:
        return f"PID {self.number}"


PID_REQUEST_STATUSES = {
    "waiting": "Waiting for the sponsor",
    "agreed": "Agreed",
    "declined": "Not agreed",
}


class PidRequest(db.Model):
    """A manager's request that the sponsor agree the PID, and the sponsor's answer: it puts
    the PID on the sponsor's home page and in their email, and the answer goes back."""

    __tablename__ = "pid_requests"
    # A site's newest waiting request (ORDER BY id DESC LIMIT 1) without walking every site's
    __table_args__ = (Index("ix_pid_requests_site_id_id", "site_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    comments: Mapped[str] = mapped_column(Text, default="")
    version_number: Mapped[str] = mapped_column(String(12), default="")  # the version agreed
