"""KPI values per period and a site's own targets."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import Audited
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

PERIOD_KINDS = {"month": "Month", "quarter": "Quarter"}


class KpiValue(Audited, VersionedMixin, TimestampMixin, db.Model):
    """Numerator and denominator of one FLS-DB KPI for one month or quarter.

    The percentage is always worked out from the two counts, never stored, so it cannot
    disagree with them.
    """

    __tablename__ = "kpi_values"
    __table_args__ = (
        UniqueConstraint("site_id", "kpi_number", "period_start"),
        Index("ix_kpi_values_kpi_period", "kpi_number", "site_id", "period_start"),
    )
    audit_type = "kpi_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique constraint leads with site_id and serves every per-site
    # read; with a second one PostgreSQL filtered all of a site's values where the unique
    # index bounds them by KPI and date (#34, migration 0044).
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kpi_number: Mapped[int]
    period_kind: Mapped[str] = mapped_column(String(10), default="month")
    period_start: Mapped[date]  # first day of the month or quarter
    numerator: Mapped[int]
    denominator: Mapped[int]

    @property
    def percent(self) -> float:
        return 100.0 * self.numerator / self.denominator

    def audit_label(self) -> str:
        return f"KPI {self.kpi_number}, {self.period_start:%Y-%m}"


class KpiTarget(Audited, VersionedMixin, TimestampMixin, db.Model):
    """The site's own target for one KPI, as a percentage."""

    __tablename__ = "kpi_targets"
    __table_args__ = (UniqueConstraint("site_id", "kpi_number"),)
    audit_type = "kpi_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    kpi_number: Mapped[int]
    target: Mapped[float]

    def audit_label(self) -> str:
        return f"KPI {self.kpi_number} target"
