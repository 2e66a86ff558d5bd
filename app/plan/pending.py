"""Uploaded plan workbooks waiting for confirmation: keep, fetch, discard, purge."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from app.core.dates import utcnow
from app.extensions import db
from app.plan.models import PendingImport

# An upload not confirmed within a day is stale: the plan has probably moved on since.
PENDING_LIFETIME = timedelta(hours=24)


def keep_upload(site_id: int, user_id: int | None, content: bytes) -> str:
    """Store the workbook and return the token the confirmation form carries."""
    purge_expired()
    token = secrets.token_hex(16)
    db.session.add(PendingImport(token=token, site_id=site_id, user_id=user_id, content=content))
    return token


def find_upload(site_id: int, token: str) -> PendingImport | None:
    """The waiting upload for this site and token, or None when unknown or expired."""
    if not token or len(token) != 32 or not token.isalnum():
        return None
    return db.session.scalar(
        select(PendingImport).where(
            PendingImport.site_id == site_id,
            PendingImport.token == token,
            PendingImport.created_at >= utcnow() - PENDING_LIFETIME,
        )
    )


def discard_upload(upload: PendingImport) -> None:
    db.session.delete(upload)


def purge_expired() -> int:
    """Delete uploads nobody confirmed in time; returns how many went."""
    result = db.session.execute(
        delete(PendingImport).where(PendingImport.created_at < utcnow() - PENDING_LIFETIME)
    )
    return result.rowcount or 0
