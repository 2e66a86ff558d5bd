"""RAID entries and the mitigation actions against them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.accounts.models import User
from app.core.audit import Audited
from app.core.dates import today, utcnow
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db
from app.meetings.models import Meeting
from app.people.models import Person
from app.plan.models import Task
from app.risks.scoring import Band, band_for

KINDS = {
    "risk": "Risk",
    "issue": "Issue",
    "assumption": "Assumption",
    "dependency": "Dependency",
    "decision": "Decision",
}
KIND_PLURALS = {
    "risk": "Risks",
    "issue": "Issues",
    "assumption": "Assumptions",
    "dependency": "Dependencies",
    "decision": "Decisions",
}
ENTRY_STATUSES = {"open": "Open", "closed": "Closed"}
DECISION_STATUSES = {"proposed": "Proposed", "agreed": "Agreed", "rejected": "Rejected"}
ALL_STATUSES = ENTRY_STATUSES | DECISION_STATUSES
# Statuses that still need someone's attention (and so can have an overdue review).
ACTIVE_STATUSES = ("open", "proposed")
SEVERITIES = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
LIKELIHOOD_WORDS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_WORDS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}
# What a steering group agrees when it agrees a recovery plan: the gap it answers (the
# description), what will be done and who owns it. A change to any of them afterwards means
# the plan in the log is no longer the plan it agreed.
AGREED_PLAN_FIELDS = ("description", "action", "owner_id")


class RaidEntry(Audited, VersionedMixin, TimestampMixin, db.Model):
    """One line of the RAID log. Kind-specific columns stay empty for the other kinds."""

    __tablename__ = "raid_entries"
    __table_args__ = (Index("ix_raid_entries_site_kind_status", "site_id", "kind", "status"),)
    audit_type = "raid_entry"
    # Who recorded a recovery plan's agreement, and when, are the history row's own user
    # and time; the columns only let the entry show them without reading history.
    audit_exclude = frozenset({"agreed_recorded_by_id", "agreed_recorded_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    raised_on: Mapped[date] = mapped_column(default=today)
    phase: Mapped[int | None]  # 0 = Manage and Lead, 1-6 the toolkit's phases
    status: Mapped[str] = mapped_column(String(10), default="open")
    review_on: Mapped[date | None]
    # Risks: likelihood and impact (1-5) before mitigation, and after it once scored.
    likelihood: Mapped[int | None]
    impact: Mapped[int | None]
    residual_likelihood: Mapped[int | None]
    residual_impact: Mapped[int | None]
    # Issues: how bad it is and what is being done.
    severity: Mapped[str | None] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(Text, default="")
    # Decisions: who decides, by when, and what they decided.
    decider: Mapped[str] = mapped_column(String(160), default="")
    decide_by: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None]
    # The meeting where the decision was made.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    # Which starter this entry came from, so the same starter is not offered twice.
    starter_key: Mapped[str | None] = mapped_column(String(40))
    # A recovery plan (an issue raised from the delivery page) counts as agreed only when
    # recorded as agreed at a steering-group meeting of the site that has been held.
    agreed_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL")
    )
    agreed_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    agreed_recorded_at: Mapped[datetime | None]
    # When the agreed plan was changed (AGREED_PLAN_FIELDS) after its agreement was recorded:
    # until the steering group's agreement is recorded again, it no longer counts.
    changed_since_agreed_at: Mapped[datetime | None]

    owner: Mapped[Person | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship(foreign_keys=[meeting_id])
    agreed_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[agreed_meeting_id])
    agreed_recorded_by: Mapped[User | None] = relationship()
    mitigations: Mapped[list[Mitigation]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="Mitigation.id"
    )

    @property
    def kind_name(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def status_name(self) -> str:
        return ALL_STATUSES.get(self.status, self.status)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def inherent_score(self) -> int | None:
        if self.likelihood and self.impact:
            return self.likelihood * self.impact
        return None

    @property
    def residual_score(self) -> int | None:
        if self.residual_likelihood and self.residual_impact:
            return self.residual_likelihood * self.residual_impact
        return None

    @property
    def current_likelihood(self) -> int | None:
        """The score that counts now: after mitigation once it is scored, before it until then."""
        return self.residual_likelihood if self.residual_score else self.likelihood

    @property
    def current_impact(self) -> int | None:
        return self.residual_impact if self.residual_score else self.impact

    @property
    def current_score(self) -> int | None:
        return self.residual_score or self.inherent_score

    @property
    def band(self) -> Band | None:
        return band_for(self.current_score)

    @property
    def inherent_band(self) -> Band | None:
        return band_for(self.inherent_score)

    @property
    def residual_band(self) -> Band | None:
        return band_for(self.residual_score)

    def review_overdue(self, on: date) -> bool:
        return bool(self.is_active and self.review_on and self.review_on < on)

    @property
    def agreement_stands(self) -> bool:
        """Recorded as agreed, and not changed since (whether the meeting counts, held and
        the steering group's, is the delivery feature's rule)."""
        return self.agreed_meeting_id is not None and self.changed_since_agreed_at is None

    def note_changes_to_agreed_plan(self, now: datetime) -> None:
        """The one rule for an agreed plan changed afterwards: a pending change to what the
        steering group agreed (AGREED_PLAN_FIELDS) marks the agreement as overtaken, by
        whatever path the change comes (the entry's form, an owner handed on). Recording
        the agreement itself changes nothing agreed."""
        state = inspect(self)
        if self.agreed_meeting_id is None or state.attrs.agreed_meeting_id.history.added:
            return
        for name in AGREED_PLAN_FIELDS:
            history = state.attrs[name].history
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if history.added and _stated(old) != _stated(new):
                # The first change since the agreement: when it stopped being the plan agreed
                self.changed_since_agreed_at = self.changed_since_agreed_at or now
                return


def _stated(value: object) -> object:
    """An empty text and none are the same: saving a form unchanged changes nothing."""
    return "" if value is None else value


@event.listens_for(Session, "before_flush")
def _mark_agreed_plans_changed(session: Session, _context, _instances) -> None:  # noqa: ANN001
    for obj in session.dirty:
        if isinstance(obj, RaidEntry):
            obj.note_changes_to_agreed_plan(utcnow())


class Mitigation(Audited, VersionedMixin, TimestampMixin, db.Model):
    """An action that lowers a risk (or resolves an issue), optionally a task in the plan."""

    __tablename__ = "raid_mitigations"
    audit_type = "raid_mitigation"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("raid_entries.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="SET NULL"), index=True
    )
    done: Mapped[bool] = mapped_column(default=False)

    entry: Mapped[RaidEntry] = relationship(back_populates="mitigations")
    task: Mapped[Task | None] = relationship()

    def audit_label(self) -> str:
        return f"mitigation of entry #{self.entry_id}"

    def audit_parent(self) -> tuple[str, int]:
        return ("raid_entry", self.entry_id)
