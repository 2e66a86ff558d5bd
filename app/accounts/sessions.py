"""Signed-in sessions kept on the server: one record per browser, listed and ended by its owner.

The browser's (signed) cookie holds a random key; the database keeps its SHA-256 hash.
Every request loads the user and their session record in one statement
(`load_session_user`), so ending a record signs that browser out on its next request.
Ending every session at once still bumps the user's `session_version` as before.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import Flask, Response, g, request, session
from flask_login import login_user, user_logged_in
from sqlalchemy import select, update

from app.accounts.models import User, UserSession
from app.core.dates import utcnow
from app.core.security import start_session_clock
from app.extensions import db

SESSION_KEY = "_account_session"
# "Last seen" is written at most this often, so reading a page does not write every time.
LAST_SEEN_STEP = timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def sign_in(user: User, method: str = "password", second_factor: bool = False) -> None:
    """Sign this browser in: a new session record, the idle and absolute clocks from now.

    `second_factor` is true when the sign-in already vouched for it (an identity provider
    that runs its own multi-factor checks).
    """
    g.sign_in_method = method
    g.sign_in_second_factor = second_factor
    login_user(user)
    start_session_clock()


def new_record(user: User, method: str, user_agent: str, second_factor: bool = False) -> str:
    """Add a session record for the user (flushed, not committed); returns the cookie value."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    record = UserSession(
        user_id=user.id,
        key_hash=_hash(key),
        user_agent=(user_agent or "")[:300],
        method=method,
        created_at=now,
        last_seen_at=now,
        second_factor_at=now if second_factor else None,
    )
    db.session.add(record)
    db.session.flush()
    return f"{record.id}:{key}"


def _record_session(_app: Flask, user: User, **_extra: object) -> None:
    """Flask-Login's user_logged_in signal: every sign-in, from any view, gets its record.

    The views that sign people in have committed their own change by then, so this commits
    only the new record.
    """
    key = new_record(
        user,
        g.pop("sign_in_method", "password"),
        request.user_agent.string,
        second_factor=g.pop("sign_in_second_factor", False),
    )
    db.session.commit()
    session[SESSION_KEY] = key


def register_session_records(app: Flask) -> None:
    user_logged_in.connect(_record_session, app)
    app.after_request(_note_seen)


def current_record() -> UserSession | None:
    """This browser's session record (set when the signed-in user was loaded)."""
    return g.get("user_session")


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the account and this browser's session record.

    The id carries the session version (ending every session bumps it), the cookie the
    record's id and key (ending one session ends its record); either stale loads nobody.
    One statement: the record by its primary key with its user joined (none when both are
    already in the session's identity map).
    """
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
        record_id, key = str(session.get(SESSION_KEY, "")).split(":", 1)
        record = db.session.get(UserSession, int(record_id))  # its user is joined
    except (ValueError, AttributeError):
        return None
    if (
        record is None
        or record.ended_at is not None
        or record.user_id != user_id
        or not hmac.compare_digest(record.key_hash, _hash(key))
    ):
        return None
    user = record.user
    if not user.active or user.session_version != version:
        return None
    g.user_session = record
    # Plain values for `_note_seen`: a view that commits expires the record.
    g.user_session_seen = (record.id, record.last_seen_at)
    # The identity map holds objects weakly: tied to the user object, the record lives as
    # long as it does, so a database session that already holds both loads neither again.
    user.signed_in_session = record
    return user


def _note_seen(response: Response) -> Response:
    """After each signed-in request: move the session's "last seen" on, every few minutes.

    Done after the view, from the plain values noted when the record was loaded (a view
    that committed has expired the record, and reading it again would cost a statement).
    """
    seen = g.get("user_session_seen")
    if seen is None or request.endpoint == "static":
        return response
    record_id, last_seen_at = seen
    now = utcnow()
    if now - last_seen_at >= LAST_SEEN_STEP:
        # Its own short transaction: nothing the request left uncommitted goes with it.
        with db.engine.begin() as connection:
            connection.execute(
                update(UserSession)
                .where(UserSession.id == record_id, UserSession.ended_at.is_(None))
                .values(last_seen_at=now)
            )
    return response


def mark_second_factor(record: UserSession) -> None:
    record.second_factor_at = utcnow()


def end_session(user: User, session_id: int) -> bool:
    """End one of the user's own sessions; False when it is not theirs or already ended."""
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )
    return result.rowcount == 1


def end_all_records(user_id: int) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def open_sessions(user: User, idle_minutes: int, absolute_hours: int) -> list[UserSession]:
    """The user's sessions still in use, most recent first: not ended, not idle too long
    and not past the absolute lifetime (those have timed out whatever their record says)."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                # Last seen is written every few minutes: allow for that much lag.
                UserSession.last_seen_at >= now - timedelta(minutes=idle_minutes) - LAST_SEEN_STEP,
                UserSession.created_at >= now - timedelta(hours=absolute_hours),
            )
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def device_name(user_agent: str) -> str:
    """A plain description of a browser from its user agent: "Edge on Windows"."""
    agent = user_agent or ""
    browsers = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]
    systems = [
        ("Windows", "Windows"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "Mac"),
        ("Linux", "Linux"),
    ]
    browser = next((name for marker, name in browsers if marker in agent), None)
    system = next((name for marker, name in systems if marker in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"


def end_others(user: User, keep_id: int) -> int:
    """End every session of the user but this one; returns how many ended."""
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.id != keep_id,
            UserSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )
    return result.rowcount
