from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import Audited
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
