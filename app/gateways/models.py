from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import Audited
from app.core.dates import utcnow
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

GATEWAY_STATUSES = {
    "not_ready": "Not ready",
    "review_requested": "Review requested",
    "signed_off": "Signed off",
    "signed_off_exceptions": "Signed off with exceptions",
    "reopened": "Reopened",
}
SIGNED = ("signed_off", "signed_off_exceptions")
CRITERION_STATES = {"met": "Met", "not_met": "Not met", "not_applicable": "Not applicable"}
DECISIONS = {
    "review_requested": "Review requested",
    "signed_off": "Signed off",
    "signed_off_exceptions": "Signed off with exceptions",
    "sent_back": "Sent back",
    "reopened": "Reopened",
}


class Gateway(Audited, VersionedMixin, TimestampMixin, db.Model):
    """The state of one phase's gateway at one site (a row exists once anything happened)."""

    __tablename__ = "gateways"
    __table_args__ = (UniqueConstraint("site_id", "phase"),)
    audit_type = "gateway"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    phase: Mapped[int]
    status: Mapped[str] = mapped_column(String(30), default="not_ready")

    def audit_label(self) -> str:
        return f"gateway {self.phase}"


class CriterionConfirmation(Audited, VersionedMixin, TimestampMixin, db.Model):
    """A person's answer to a criterion the app cannot check itself."""

    __tablename__ = "gateway_criteria"
    __table_args__ = (UniqueConstraint("site_id", "phase", "criterion_key"),)
    audit_type = "gateway_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    phase: Mapped[int]
    criterion_key: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(20), default="not_met")
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def audit_label(self) -> str:
        return f"gateway {self.phase} criterion {self.criterion_key}"


class GatewayDecision(db.Model):
    """Every request, sign-off, send-back and reopening, kept with the criteria at that moment."""

    __tablename__ = "gateway_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    phase: Mapped[int]
    action: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    comments: Mapped[str] = mapped_column(Text, default="")
    # [{"key", "text", "state", "detail"}] as the criteria stood when the decision was made.
    snapshot: Mapped[list] = mapped_column(JSON, default=list)
    # [{"key", "text", "reason"}]: unmet criteria the sponsor accepted, each with a reason.
    exceptions: Mapped[list] = mapped_column(JSON, default=list)
