"""Sign-in throttling: growing delays per account, per address and per pair, never a lock.

Failed sign-ins are kept only as keyed hashes of the email typed and of the address, so
the table cannot be read back into a list of emails. Each failure past a free allowance
doubles the wait before the next attempt is checked. The wait for an account from every
address together is capped low, so a stranger cannot keep its owner out; the pair and
the address carry the long waits that slow a guesser down.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.dates import utcnow
from app.extensions import db

# A stranger failing on someone's account from many addresses costs its owner at most this.
ACCOUNT_MAX_DELAY_SECONDS = 30


class SignInFailure(db.Model):
    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_account_at", "account_key", "at"),
        Index("ix_sign_in_failures_address_at", "address_key", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    account_key: Mapped[str] = mapped_column(String(64))
    address_key: Mapped[str] = mapped_column(String(64))


def keyed_hash(kind: str, value: str) -> str:
    """An HMAC of the value under the app's secret: comparable, but not reversible by lookup."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def delay_for(failures: int, free: int, maximum: int) -> int:
    """Seconds to wait after `failures` recent failures: none, then 1, 2, 4… up to `maximum`."""
    if failures < free:
        return 0
    return min(maximum, 2 ** min(failures - free, 30))


@dataclass(frozen=True)
class Keys:
    account: str
    address: str


def keys_for(email: str, address: str | None) -> Keys:
    return Keys(keyed_hash("account", email), keyed_hash("address", address or "unknown"))


def _recent(condition, since: datetime) -> tuple[int, datetime | None]:  # noqa: ANN001
    count, last = db.session.execute(
        select(func.count(SignInFailure.id), func.max(SignInFailure.at)).where(
            condition, SignInFailure.at >= since
        )
    ).one()
    return count or 0, last


def seconds_to_wait(keys: Keys, now: datetime | None = None) -> int:
    """0 when an attempt may be checked now, else how many seconds remain."""
    config = current_app.config
    now = now or utcnow()
    since = now - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    free = config["LOGIN_FREE_FAILURES"]
    longest = config["LOGIN_MAX_DELAY_SECONDS"]
    rules = [
        (SignInFailure.account_key == keys.account, free * 2, ACCOUNT_MAX_DELAY_SECONDS),
        (
            (SignInFailure.account_key == keys.account)
            & (SignInFailure.address_key == keys.address),
            free,
            longest,
        ),
        (SignInFailure.address_key == keys.address, free * 4, longest),
    ]
    wait = 0.0
    for condition, allowance, maximum in rules:
        count, last = _recent(condition, since)
        delay = delay_for(count, allowance, maximum)
        if delay and last is not None:
            wait = max(wait, (last + timedelta(seconds=delay) - now).total_seconds())
    return math.ceil(wait) if wait > 0 else 0


def record_failure(keys: Keys, now: datetime | None = None) -> None:
    now = now or utcnow()
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    # Rows older than the window no longer count: drop them so the table stays small.
    db.session.execute(delete(SignInFailure).where(SignInFailure.at < now - window))
    db.session.add(SignInFailure(at=now, account_key=keys.account, address_key=keys.address))
