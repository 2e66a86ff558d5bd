"""Two-factor sign-in: time-based one-time codes (TOTP, RFC 6238) and recovery codes.

A code is accepted for the current 30-second step and one step either side (a phone's
clock a little out), and never twice: the last step used is kept. Ten recovery codes,
each usable once, stand in for a lost phone; only keyed hashes of them are stored.
Attempts are throttled like sign-in (app/accounts/throttle.py).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select

from app.accounts import sealed, throttle
from app.accounts.models import RecoveryCode, User
from app.core.audit import record_event
from app.core.dates import utcnow
from app.core.errors import ServiceError
from app.extensions import db

log = logging.getLogger(__name__)

ISSUER = "FLS Tracker"
RECOVERY_CODE_COUNT = 10
# Steps either side of now that still count: ±30 seconds of clock drift.
WINDOW_STEPS = 1
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def required_roles(setting: str | None) -> set[str]:
    """TWO_FACTOR_ROLES as a set: "admin,support", "all", or empty for none."""
    return {part.strip().lower() for part in (setting or "").split(",") if part.strip()}


def is_required(user: User) -> bool:
    """Must this account use a second factor (TWO_FACTOR_ROLES)?"""
    roles = required_roles(current_app.config.get("TWO_FACTOR_ROLES"))
    return "all" in roles or (user.global_role is not None and user.global_role in roles)


def is_enabled(user: User) -> bool:
    return user.totp_secret_sealed is not None


def needs_second_factor(user: User) -> bool:
    return is_enabled(user) or is_required(user)


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI (no image library needed; CSP allows data: images)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The time step whose code this is, within the window; None when it matches none."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    # Aware: pyotp reads a naive time as local time.
    current = totp.timecode((now or utcnow()).replace(tzinfo=UTC))
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _code_hash(code: str) -> str:
    normalised = "".join((code or "").lower().split()).replace("-", "")
    return throttle.keyed_hash("recovery-code", normalised)


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh recovery codes (shown once); any earlier ones stop working. Not committed."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(c)) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor on with the secret the person's app now holds; returns the recovery
    codes. The code proves the app was set up right. Not committed."""
    step = matching_step(secret, code)
    if step is None:
        raise ServiceError(
            "That code is not right. Enter the 6-digit code your app shows now.", field="code"
        )
    user.totp_secret_sealed = sealed.seal(secret)
    user.totp_last_step = step
    user.two_factor_since = utcnow()
    record_event("two_factor_on", user_id=user.id)
    return new_recovery_codes(user)


def _keys(user: User, address: str | None) -> throttle.Keys:
    return throttle.Keys(
        throttle.keyed_hash("second-factor", str(user.id)),
        throttle.keyed_hash("second-factor-address", address or "unknown"),
    )


def check(user: User, code: str, address: str | None = None) -> str:
    """Accept a one-time code or an unused recovery code; returns which ("code" or
    "recovery code"), or raises ServiceError. Failures slow further attempts down."""
    keys = _keys(user, address)
    wait = throttle.seconds_to_wait(keys)
    if wait:
        raise ServiceError(
            f"Too many wrong codes. Wait {wait} second{'' if wait == 1 else 's'}, then try again.",
            field="code",
        )
    secret = sealed.unseal(user.totp_secret_sealed) if user.totp_secret_sealed else None
    if user.totp_secret_sealed and secret is None:
        log.warning("Two-factor: a secret sealed with another key (TOTP_KEY changed?)")
    step = matching_step(secret, code) if secret else None
    if step is not None and step > (user.totp_last_step or -1):
        user.totp_last_step = step
        return "code"
    recovery = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is not None:
        recovery.used_at = utcnow()
        record_event("recovery_code_used", user_id=user.id)
        return "recovery code"
    throttle.record_failure(keys)
    record_event("second_factor_failed", user_id=user.id)
    db.session.commit()  # the failure counts even though the request goes no further
    raise ServiceError(
        "That code is not right. Enter the 6-digit code from your app, or a recovery code.",
        field="code",
    )


def disable(user: User, code: str, address: str | None = None) -> None:
    """Turn two-factor off (only where it is not required). Not committed."""
    if is_required(user):
        raise ServiceError("Your account must use two-factor sign-in.", field="code")
    check(user, code, address)
    user.totp_secret_sealed = None
    user.totp_last_step = None
    user.two_factor_since = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_event("two_factor_off", user_id=user.id)
