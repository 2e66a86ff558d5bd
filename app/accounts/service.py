"""Accounts: creating users, checking passwords, lockout and ending sessions."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import delete, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts import signals, throttle
from app.accounts.feeds import revoke_all_links
from app.accounts.models import RecoveryCode, User
from app.accounts.queries import find_user, normalise_email
from app.accounts.sessions import end_all_records
from app.core.audit import record_event
from app.core.dates import utcnow
from app.core.errors import ServiceError
from app.extensions import db

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_new_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )


def create_user(
    email: str,
    name: str,
    password: str,
    global_role: str | None = None,
    must_change_password: bool = False,
) -> User:
    email = normalise_email(email)
    if not email or "@" not in email:
        raise ServiceError("Enter an email address like name@nhs.net.", field="email")
    if not (name or "").strip():
        raise ServiceError("Enter the person's name.", field="name")
    if global_role not in (None, "support", "admin"):
        raise ServiceError("Global role must be none, support or admin.", field="global_role")
    check_new_password(password)
    if find_user(email):
        raise ServiceError(f"A user with the email {email} already exists.", field="email")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        global_role=global_role,
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    return user


class LoginRefused(Exception):
    def __init__(self, message: str, locked: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.locked = locked  # throttled: the view answers 429


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash to check unknown emails against, so they take as long as known ones."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not a real password", method=method)
    return _DUMMY_HASHES[method]


def authenticate(email: str, password: str, address: str | None = None) -> User:
    """The user for these credentials, or LoginRefused.

    Failures are stored as keyed hashes (never the email typed or the password) and slow
    further attempts down; unknown emails cost the same hashing work as known ones.
    """
    email = normalise_email(email)
    keys = throttle.keys_for(email, address)
    wait = throttle.seconds_to_wait(keys)
    if wait:
        raise LoginRefused(
            f"Too many failed attempts. Wait {wait} second{'' if wait == 1 else 's'}, then try "
            "again. If you have "
            'forgotten your password, choose "Forgotten your password?" below.',
            locked=True,
        )
    user = find_user(email)
    stored_hash = user.password_hash if user is not None else _dummy_hash()
    password_ok = check_password_hash(stored_hash, password or "")
    if user is None or not user.active or not password_ok:
        throttle.record_failure(keys)
        record_event("login_failed", user_id=user.id if user else None)
        db.session.commit()
        raise LoginRefused("Email or password is incorrect.")
    # Signing in is not an edit of the account: recorded without the version check, so two
    # sign-ins at once (two devices, two tabs) never conflict with each other or with an
    # administrator's change.
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(last_login_at=utcnow(), last_login_method="password")
    )
    record_event("login", user_id=user.id)
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Every session signed with the old version stops working on its next request."""
    user.session_version = (user.session_version or 0) + 1
    end_all_records(user.id)


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise ServiceError("Your current password is not right.", field="current_password")
    check_new_password(new)
    if check_password_hash(user.password_hash, new):
        raise ServiceError("Choose a password different from the current one.", "new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    end_sessions(user)
    revoke_all_links(user.id)  # a calendar link may have leaked with the old password
    record_event("password_changed", user_id=user.id)
    signals.password_changed.send(user)


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(user)


def require_reset(user: User) -> None:
    """An administrator's "must reset": the password stops working and every session ends.

    The person chooses a new one from a reset link (emailed by the caller's
    `resets.request_reset`, or "Forgotten your password?"). Not committed.
    """
    # Nobody changed it to something they know, so no "your password changed" email (it
    # would only confuse): the reset link's email says what to do.
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    end_sessions(user)
    revoke_all_links(user.id)
    record_event("password_reset_required", user_id=user.id)


def reset_two_factor(user: User) -> None:
    """For someone who lost both their phone and their recovery codes. Not committed."""
    user.totp_secret_sealed = None
    user.totp_last_step = None
    user.two_factor_since = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions(user)
    record_event("two_factor_reset", user_id=user.id)
