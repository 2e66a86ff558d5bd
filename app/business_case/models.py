"""A site's business case: its settings, own option, decision route and specification
fields (one row per site), and its own cost values (one row per changed default)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.business_case.costs import default_costs
from app.core.audit import Audited
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

# The decision route ("getting to yes"): field -> label. Free text the manager fills.
ROUTE_FIELDS = {
    "payer": "Who pays for the service",
    "decision_process": "How they decide",
    "decision_timing": "When they decide",
    "meeting": "The meeting that decides",
    "allies": "Allies and how they help",
    "objections": "Likely objections and our answers",
}
# The service specification's fields the site writes: the service model (location, skills,
# staffing, facilities, integration), the 5IQ headings and the contract's scope sections.
SPEC_FIELDS = {
    "aims": "Aims of the service",
    "acceptance": "Who is accepted (acceptance criteria)",
    "exclusions": "Who is not accepted (exclusion criteria)",
    "interdependencies": "Interdependencies with other services",
    "location": "Location",
    "skills": "Skills",
    "staffing": "Staffing",
    "facilities": "Facilities",
    "integration": "Integration",
    "identify": "Identify",
    "investigate": "Investigate",
    "inform": "Inform",
    "intervene": "Intervene",
    "integrate": "Integrate",
    "quality": "Quality",
}
# The specification's contract header: field -> label.
HEADER_FIELDS = {
    "contract_number": "Contract number",
    "commissioner_lead": "Commissioner lead",
    "provider_lead": "Provider lead",
}
HEADER_DATES = {
    "contract_start": "Contract starts",
    "contract_end": "Contract ends",
    "review_date": "Date of review",
}
# The specification counts as drafted once these are written (the Phase 4 gateway reads it).
SPEC_REQUIRED = (
    "aims",
    "location",
    "staffing",
    "identify",
    "investigate",
    "inform",
    "intervene",
    "integrate",
    "quality",
)


class BusinessCase(Audited, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "business_cases"
    audit_type = "business_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), unique=True, index=True
    )
    horizon_years: Mapped[int] = mapped_column(default=10)
    # Follow each year's patients for their lifetimes (True) or for horizon_years (False);
    # the budget by year always covers horizon_years.
    lifetime: Mapped[bool] = mapped_column(default=False, server_default=false())
    preferred: Mapped[str] = mapped_column(String(10), default="full")
    # Bumped by every save of the cost values, so a stale costs form is caught (409).
    costs_saved_at: Mapped[datetime | None]
    # The site's own option (empty name: none).
    own_name: Mapped[str] = mapped_column(String(120), default="")
    own_description: Mapped[str] = mapped_column(Text, default="")
    own_identification: Mapped[float | None]
    own_treatment: Mapped[float | None]
    own_followup: Mapped[float | None]
    own_nurse_wte: Mapped[float | None]
    own_admin_wte: Mapped[float | None]
    own_sessions: Mapped[float | None]
    own_setup: Mapped[float | None]
    # The decision route.
    payer: Mapped[str] = mapped_column(Text, default="")
    decision_process: Mapped[str] = mapped_column(Text, default="")
    decision_timing: Mapped[str] = mapped_column(Text, default="")
    meeting: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None]
    allies: Mapped[str] = mapped_column(Text, default="")
    objections: Mapped[str] = mapped_column(Text, default="")
    # The approval is a RAID log decision; this points at it.
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("raid_entries.id", ondelete="SET NULL")
    )
    # The service specification.
    aims: Mapped[str] = mapped_column(Text, default="")
    acceptance: Mapped[str] = mapped_column(Text, default="")
    exclusions: Mapped[str] = mapped_column(Text, default="")
    interdependencies: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    staffing: Mapped[str] = mapped_column(Text, default="")
    facilities: Mapped[str] = mapped_column(Text, default="")
    integration: Mapped[str] = mapped_column(Text, default="")
    identify: Mapped[str] = mapped_column(Text, default="")
    investigate: Mapped[str] = mapped_column(Text, default="")
    inform: Mapped[str] = mapped_column(Text, default="")
    intervene: Mapped[str] = mapped_column(Text, default="")
    integrate: Mapped[str] = mapped_column(Text, default="")
    quality: Mapped[str] = mapped_column(Text, default="")
    # The specification's contract header (NHS Standard Contract layout).
    contract_number: Mapped[str] = mapped_column(String(60), default="", server_default="")
    commissioner_lead: Mapped[str] = mapped_column(String(160), default="", server_default="")
    provider_lead: Mapped[str] = mapped_column(String(160), default="", server_default="")
    contract_start: Mapped[date | None]
    contract_end: Mapped[date | None]
    review_date: Mapped[date | None]

    def audit_label(self) -> str:
        return "business case"

    @property
    def spec_missing(self) -> list[str]:
        return [SPEC_FIELDS[key] for key in SPEC_REQUIRED if not getattr(self, key).strip()]


class CostValue(Audited, TimestampMixin, db.Model):
    """A site's own value for one default in costs.toml, with the reason for it."""

    __tablename__ = "business_case_costs"
    __table_args__ = (UniqueConstraint("site_id", "key", name="uq_business_case_costs_site_key"),)
    audit_type = "business_case_cost"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[float]
    reason: Mapped[str] = mapped_column(String(300), default="")

    def audit_label(self) -> str:
        item = default_costs().get(self.key)
        return f"{item.label if item else self.key}: the site's own value"
