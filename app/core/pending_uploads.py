"""Uploads waiting for the person who made them to confirm: one service for every import.

An import reads the uploaded file and shows a preview; the file itself waits here, in the
database, until the person confirms. Nothing about it travels through the browser but a
random token, so any worker can finish the import and nothing the client sends back is
trusted: on confirmation the import reads the stored file again.

A waiting upload belongs to one kind of import ("plan", "people", "kpis"), one site and
one person. Confirming marks it confirmed in the same transaction as the import (an
UPDATE that only one of two simultaneous confirmations can win), so it is used at most
once; a confirmed or expired upload stays until the next purge only to say why it can no
longer be used.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, LargeBinary, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app.core.dates import utcnow
from app.core.errors import ServiceError
from app.extensions import db

# An upload not confirmed within a day is stale: the site's records have probably moved on.
PENDING_LIFETIME = timedelta(hours=24)
TOKEN_BYTES = 16  # 32 hex characters


class PendingUpload(db.Model):
    """An uploaded file waiting for its uploader to confirm the import."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # which import: "plan", "people", "kpis"
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None]


class UploadNotUsable(ServiceError):
    """The upload cannot be confirmed; `status` is the HTTP status that says why."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message, "file")
        self.status = status


# Why an upload cannot be confirmed: (message, HTTP status).
NOT_FOUND = ("This upload could not be found. Upload the file again to import it.", 400)
EXPIRED = (
    "This upload has expired: an upload waits 24 hours to be confirmed. Upload the file again.",
    410,
)
SOMEONE_ELSES = (
    "This upload was made by someone else, so only they can confirm it. "
    "Upload the file yourself to import it.",
    403,
)
ALREADY_CONFIRMED = (
    "This upload has already been imported. Check the records before uploading it again.",
    409,
)


def keep_upload(kind: str, site_id: int, user_id: int, filename: str, content: bytes) -> str:
    """Keep the file for confirmation and return the token the preview's form carries."""
    purge_expired()
    token = secrets.token_hex(TOKEN_BYTES)
    db.session.add(
        PendingUpload(
            token=token,
            kind=kind,
            site_id=site_id,
            user_id=user_id,
            filename=filename[:255],
            content=content,
        )
    )
    return token


def waiting_upload(kind: str, site_id: int, user_id: int, token: str | None) -> PendingUpload:
    """The upload this person may still confirm, or `UploadNotUsable` saying why not.

    A token of another site or another kind of import is not found, as if it did not exist.
    """
    if not token or len(token) != 2 * TOKEN_BYTES or not token.isalnum():
        raise UploadNotUsable(*NOT_FOUND)
    upload = db.session.scalar(
        select(PendingUpload).where(
            PendingUpload.token == token,
            PendingUpload.kind == kind,
            PendingUpload.site_id == site_id,
        )
    )
    if upload is None:
        raise UploadNotUsable(*NOT_FOUND)
    if upload.user_id != user_id:
        raise UploadNotUsable(*SOMEONE_ELSES)
    if upload.confirmed_at is not None:
        raise UploadNotUsable(*ALREADY_CONFIRMED)
    if upload.created_at < utcnow() - PENDING_LIFETIME:
        raise UploadNotUsable(*EXPIRED)
    return upload


def mark_confirmed(upload: PendingUpload) -> None:
    """Mark the upload used, in the caller's transaction (commit it with the import).

    Two confirmations at once both pass `waiting_upload`; only one UPDATE finds the row
    still unconfirmed, and the other is told the upload was already imported.
    """
    claimed = db.session.execute(
        update(PendingUpload)
        .where(PendingUpload.id == upload.id, PendingUpload.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise UploadNotUsable(*ALREADY_CONFIRMED)


def forget_site_uploads(person_id: int, site_id: int) -> None:
    """An erasure hook: a site's waiting files may name the person erased (a people list,
    a plan's owners), so they all go; whoever uploaded one can upload it again."""
    db.session.execute(delete(PendingUpload).where(PendingUpload.site_id == site_id))


def purge_expired() -> int:
    """Delete uploads older than their lifetime, confirmed or not; returns how many went."""
    result = db.session.execute(
        delete(PendingUpload).where(PendingUpload.created_at < utcnow() - PENDING_LIFETIME)
    )
    return result.rowcount or 0
