from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.dates import utcnow
from app.extensions import db


class SiteFollow(db.Model):
    """A support user's "sites I support" list.

    Deliberately not audited: following a site is a reading preference, not a change to the
    site, and must not reset the portfolio's "days since anyone changed anything".
    """

    __tablename__ = "site_follows"
    __table_args__ = (UniqueConstraint("user_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
