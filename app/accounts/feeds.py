"""Calendar subscriptions: a private link per person and site, which they can revoke or replace.

Outlook and other calendars fetch a subscribed .ics without a browser session, so the
feed's link carries a random token. Only its SHA-256 is stored: the link is shown once,
when it is made. A token opens one site's feed and nothing else; the site guard still
checks the person's membership, and deactivating the account or changing the password
stops every link they have.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import Request, g
from sqlalchemy import ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import User
from app.core.dates import utcnow
from app.extensions import db

FEED_ENDPOINTS = frozenset({"sites.meetings.feed"})
TOKEN_ARG = "token"


class CalendarLink(db.Model):
    __tablename__ = "calendar_links"
    __table_args__ = (UniqueConstraint("user_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(user_id: int, site_id: int) -> CalendarLink | None:
    return db.session.scalar(
        select(CalendarLink).where(CalendarLink.user_id == user_id, CalendarLink.site_id == site_id)
    )


def issue_link(user_id: int, site_id: int) -> str:
    """A new token for this person and site; any earlier link for them there stops working."""
    token = secrets.token_urlsafe(32)
    link = link_for(user_id, site_id)
    if link is None:
        link = CalendarLink(user_id=user_id, site_id=site_id)
        db.session.add(link)
    link.token_hash = _digest(token)
    link.created_at = utcnow()
    link.last_used_at = None
    db.session.flush()
    return token


def revoke_link(user_id: int, site_id: int) -> bool:
    link = link_for(user_id, site_id)
    if link is None:
        return False
    db.session.delete(link)
    db.session.flush()
    return True


def revoke_all_links(user_id: int) -> None:
    db.session.execute(delete(CalendarLink).where(CalendarLink.user_id == user_id))


def user_from_feed_token(req: Request) -> User | None:
    """Flask-Login's request loader: a user only for the feed of the link's own site."""
    token = req.args.get(TOKEN_ARG)
    if not token or len(token) > 200 or req.endpoint not in FEED_ENDPOINTS:
        return None
    link = db.session.scalar(select(CalendarLink).where(CalendarLink.token_hash == _digest(token)))
    if link is None or link.site_id != getattr(g, "site_id", None):
        return None
    user = db.session.get(User, link.user_id)
    if user is None or not user.active:
        return None
    link.last_used_at = utcnow()
    db.session.commit()
    return user
