"""Signed unsubscribe links. They carry ids only, so no address reaches a server log."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.notifications.models import MAIL_CHOICES

# Links sent before each kind had its own were "updates", shared by the digest and the
# gateway mail; such a link now stops only the digest, so nobody who meant to stop the
# reminders loses the review requests they must act on.
LEGACY_SCOPES = {"updates": "digest"}
SCOPES = (*MAIL_CHOICES, *LEGACY_SCOPES)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mail-unsubscribe")


def unsubscribe_token(scope: str, person_id: int | None = None, user_id: int | None = None) -> str:
    """`scope` is one of MAIL_CHOICES: the kind of email the link stops. Links never
    expire: an old email must still unsubscribe."""
    if scope not in MAIL_CHOICES:
        raise ValueError(f"not a kind of email one can stop: {scope}")
    payload: dict = {"s": scope}
    if user_id is not None:
        payload["u"] = user_id
    if person_id is not None:
        payload["p"] = person_id
    return _serializer().dumps(payload)


def read_unsubscribe_token(token: str) -> dict | None:
    """The payload with its scope as one of MAIL_CHOICES, or None for a bad link."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") not in SCOPES:
        return None
    if not isinstance(payload.get("u", 0), int) or not isinstance(payload.get("p", 0), int):
        return None
    payload["s"] = LEGACY_SCOPES.get(payload["s"], payload["s"])
    return payload
