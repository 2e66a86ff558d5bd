from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import Audited
from app.core.dates import utcnow
from app.core.db import TimestampMixin
from app.extensions import db


class NeedsVersion(Audited, TimestampMixin, db.Model):
    """One saved set of a site's needs figures; the newest row is the current one.

    Rows are never changed after they are written, so the list of rows is the dated
    history. The headline numbers are stored beside the inputs so the portfolio can read
    every site's in one query without running the model.
    """

    __tablename__ = "needs_versions"
    __table_args__ = (Index("ix_needs_versions_site_id_id", "site_id", "id"),)
    audit_type = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    change: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[str] = mapped_column(Text, default="{}")
    population_50_plus: Mapped[int | None]
    expected_caseload: Mapped[int | None]
    hip_fractures_prevented_5y: Mapped[int | None]

    def audit_label(self) -> str:
        return f"needs figures version #{self.id}: {self.change}"

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.data or "{}")


class FigureHeadline(db.Model):
    """A site's headline figures as its documents state them (`app.needs.figures.
    SiteFigures`), kept beside the needs version and business case version they were worked
    out from, so the portfolio reads every site's in its one statement without running the
    cohort model. Written again whenever the needs figures or the business case are saved;
    not audited (it is worked out, never typed)."""

    __tablename__ = "figure_headlines"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )
    needs_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("needs_versions.id", ondelete="SET NULL")
    )
    case_version: Mapped[int | None]  # the business case row's version (None: no case saved)
    # Among one year's patients over `horizon`, against today's service; counts, so never
    # discounted. Rounded as the documents print them (None: not worked out).
    fractures_prevented: Mapped[int | None]
    hip_prevented: Mapped[int | None]
    horizon: Mapped[str] = mapped_column(String(60), default="")
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
