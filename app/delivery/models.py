"""What an agreed business case promised: one read-only row per measure and period.

A promise is written once, when the case's approval is recorded as agreed, and never
edited: a later agreement adds a new version beside it, so what was promised on a date
stays on record.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.dates import utcnow
from app.extensions import db

RAMP_UP, STEADY = "ramp_up", "steady"
PERIOD_NAMES = {RAMP_UP: "Year 1 (ramp-up)", STEADY: "Steady state"}


class Promise(db.Model):
    """One promised figure of one agreed version for one period of the service's life."""

    __tablename__ = "delivery_promises"
    __table_args__ = (Index("ix_delivery_promises_site_version", "site_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    version: Mapped[int]  # 1 for the first agreement, then 2, ...
    agreed_on: Mapped[date]  # the decision's date
    measure: Mapped[str] = mapped_column(String(20))  # a key of service.MEASURES
    kpi_number: Mapped[int | None]  # the FLS-DB KPI that measures it, if any
    period: Mapped[str] = mapped_column(String(10))  # RAMP_UP or STEADY
    starts_on: Mapped[date]  # first day of the first quarter it applies to
    ends_on: Mapped[date | None]  # first day after it; None: from then on
    percent: Mapped[float | None]  # the KPI's promised percentage
    patients: Mapped[float | None]  # patients a quarter
    amount: Mapped[float | None]  # staff (WTE) or money (£ a year), for measures without a KPI
    # Fractures prevented over the case's horizon for each patient started on treatment
    # beyond today's service, from the business case's cohort model at agreement.
    fractures_per_patient: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
