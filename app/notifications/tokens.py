"""Signed unsubscribe links. They carry ids only, so no address reaches a server log."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SCOPES = ("meetings", "updates")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mail-unsubscribe")


def unsubscribe_token(scope: str, person_id: int | None = None, user_id: int | None = None) -> str:
    """`scope` is "meetings" (invitations, agendas, minutes) or "updates" (reviews,
    decisions, reminders). Links never expire: an old email must still unsubscribe."""
    payload: dict = {"s": scope}
    if user_id is not None:
        payload["u"] = user_id
    if person_id is not None:
        payload["p"] = person_id
    return _serializer().dumps(payload)


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") not in SCOPES:
        return None
    if not isinstance(payload.get("u", 0), int) or not isinstance(payload.get("p", 0), int):
        return None
    return payload
