"""Calendar subscriptions: a private link that lets a calendar program fetch one feed.

Outlook and other calendars fetch a subscribed .ics without a browser session, so the
feed's link carries a signed token naming the user. It opens only calendar feeds, the
site guard still checks that user's membership, and changing the password or
deactivating the account revokes every link the user has handed out.
"""

from __future__ import annotations

import hashlib

from flask import Request, current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.accounts.models import User
from app.extensions import db

FEED_ENDPOINTS = frozenset({"sites.meetings.feed"})
TOKEN_ARG = "token"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="calendar-feed")


def _password_stamp(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def feed_token(user: User) -> str:
    return _serializer().dumps([user.id, _password_stamp(user)])


def user_from_feed_token(req: Request) -> User | None:
    """Flask-Login's request loader: a user only for a calendar feed with a valid token."""
    token = req.args.get(TOKEN_ARG)
    if not token or req.endpoint not in FEED_ENDPOINTS:
        return None
    try:
        user_id, stamp = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or _password_stamp(user) != stamp:
        return None
    return user
