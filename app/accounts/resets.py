"""Password reset by email: a single-use link, valid for an hour, stored only as a hash.

Asking for a link gives the same answer whether or not the email belongs to an account,
and is throttled like signing in (per address typed, per network address). The email
itself is queued by the notifications feature when the reset is saved (it reads the
token from the new row's `link_token`, which is not a column). Choosing the new password
uses the link up and ends every session of the account; the person is then emailed
that their password changed (also by the notifications feature).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app.accounts import signals, throttle
from app.accounts.feeds import revoke_all_links
from app.accounts.models import PasswordReset, User
from app.accounts.queries import find_user, normalise_email
from app.accounts.service import check_new_password, end_sessions, hash_password
from app.core.audit import record_event
from app.core.dates import utcnow
from app.extensions import db


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_minutes() -> int:
    return current_app.config["PASSWORD_RESET_MINUTES"]


class ResetThrottled(Exception):
    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.message = (
            f"Too many requests for a reset link. Wait {seconds} second"
            f"{'' if seconds == 1 else 's'}, then try again."
        )


def _keys(email: str, address: str | None) -> throttle.Keys:
    # Kept apart from sign-in failures: asking for links must not slow down signing in.
    return throttle.Keys(
        throttle.keyed_hash("reset-account", email),
        throttle.keyed_hash("reset-address", address or "unknown"),
    )


def request_reset(email: str, address: str | None = None) -> PasswordReset | None:
    """Make a reset link for the account with this email, if there is an active one.

    Returns the new reset (its `link_token` is the secret part of the link) or None; the
    caller answers the same either way. Every request counts towards the throttle, so
    nobody can flood a mailbox or test many addresses quickly. Not committed.
    """
    email = normalise_email(email)
    keys = _keys(email, address)
    wait = throttle.seconds_to_wait(keys)
    if wait:
        raise ResetThrottled(wait)
    throttle.record_failure(keys)
    user = find_user(email)
    if user is None or not user.active:
        return None
    return issue_reset(user)


def issue_reset(user: User) -> PasswordReset:
    """A new reset link for the user (emailed when saved); earlier links stop working."""
    _revoke_links(user.id)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    reset = PasswordReset(
        user_id=user.id,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(minutes=reset_minutes()),
    )
    reset.link_token = token  # read by the notifications feature when saved; never stored
    db.session.add(reset)
    db.session.flush()
    record_event("password_reset_requested", user_id=user.id)
    return reset


def _revoke_links(user_id: int) -> None:
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(revoked=True)
    )


class ResetProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def usable_reset(token: str) -> PasswordReset:
    """The reset behind this link, or ResetProblem saying why it cannot be used."""
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == _hash(token or ""))
    )
    if reset is None:
        raise ResetProblem(
            "This link is not valid. Check you copied all of it, or ask for a new one."
        )
    if reset.used_at is not None:
        raise ResetProblem("This link has already been used. Ask for a new one if you need to.")
    if reset.revoked:
        raise ResetProblem(
            "A newer link has been sent, or the password was changed since, so this one no "
            "longer works."
        )
    if reset.expires_at <= utcnow():
        raise ResetProblem(
            f"This link has expired (links last {reset_minutes()} minutes). Ask for a new one."
        )
    user = db.session.get(User, reset.user_id)
    if user is None or not user.active:
        raise ResetProblem("This account has been deactivated. Ask an administrator.")
    return reset


def complete_reset(token: str, password: str) -> User:
    """Set the new password, use the link up and end every session. Not committed."""
    reset = usable_reset(token)
    check_new_password(password)
    user = db.session.get(User, reset.user_id)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    end_sessions(user)
    revoke_all_links(user.id)  # a calendar link may have leaked with the old password
    reset.used_at = utcnow()
    _revoke_links(user.id)
    record_event("password_reset", user_id=user.id)
    signals.password_changed.send(user)
    return user
