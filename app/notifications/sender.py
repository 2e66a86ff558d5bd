"""Delivering the outbox: SMTP when MAIL_SERVER is set, else .eml files under MAIL_DIR.

Each message is claimed, sent and marked in its own transaction, so a crash or an outage
loses nothing: a failed try waits (doubling each time) and is tried again, up to
MAIL_MAX_TRIES, and then shows as failed on the admin mail page.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select, update

from app.core.dates import utcnow
from app.extensions import db
from app.notifications.models import OutboxMessage

log = logging.getLogger(__name__)
# A claim older than this belongs to a sender that died mid-send: the message goes back.
STALE_CLAIM = timedelta(minutes=15)


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0


class FileTransport:
    """The embedded default: one .eml file per message, to open in any mail program."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def send(self, message: OutboxMessage, envelope_from: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.folder / f"{message.id:06d}-{message.kind}.eml"
        partial = final.with_suffix(".part")
        partial.write_bytes(message.message)
        partial.replace(final)  # never a half-written .eml

    def close(self) -> None:
        pass


class SmtpTransport:
    """One connection for a run, opened on first use and opened again after a failure."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        connection = smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]
        )
        if config["MAIL_USE_TLS"]:
            connection.starttls()
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return connection

    def send(self, message: OutboxMessage, envelope_from: str) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.sendmail(envelope_from, [message.to_address], message.message)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # already gone
                self.connection.quit()
            self.connection = None


def transport_for(config: dict) -> FileTransport | SmtpTransport:
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return FileTransport(config["MAIL_DIR"])


def _error_text(error: Exception) -> str:
    """What went wrong, for the admins: the kind of error and the SMTP code. Never the
    server's text, which often repeats the recipient's address."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__}" + (f" (SMTP {code})" if code else "")


def _release_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.next_attempt_at < now - STALE_CLAIM)
        .values(status="queued")
    )
    db.session.commit()


def _claim(limit: int, now: datetime) -> list[int]:
    """Mark the due messages as being sent, in one statement, so a second sender running at
    the same time skips them; returns their ids."""
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(due))
    if not ids:
        return []
    stamp = utcnow()  # this run's mark: the claimed rows are the ones carrying it
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "queued")
        .values(status="sending", next_attempt_at=stamp)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.status == "sending",
                OutboxMessage.next_attempt_at == stamp,
            )
            .order_by(OutboxMessage.id)
        )
    )


def _purge_old(now: datetime, keep_days: int) -> None:
    """Sent and replaced messages hold names and addresses: they are kept only a while."""
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(("sent", "superseded")),
            OutboxMessage.created_at < now - timedelta(days=keep_days),
        )
    )


def send_due(limit: int = 200, now: datetime | None = None) -> Outcome:
    """Send every message whose time has come; returns what happened."""
    config = current_app.config
    now = now or utcnow()
    _purge_old(now, config["MAIL_KEEP_DAYS"])
    _release_stale_claims(now)
    ids = _claim(limit, now)
    envelope_from = parseaddr(config["MAIL_FROM"])[1] or "fls-tracker@localhost"
    transport = transport_for(config)
    outcome = Outcome()
    try:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            try:
                transport.send(message, envelope_from)
            except (smtplib.SMTPException, OSError) as error:
                _failed(message, error, now, config, outcome)
            else:
                message.status, message.sent_at = "sent", utcnow()
                message.tries += 1
                if message.kind == "account_invitation":
                    # A working sign-in link must not outlive its delivery in the database.
                    message.message = b""
                outcome.sent += 1
                log.info("Mail %s sent", message.id)
            db.session.commit()
    finally:
        transport.close()
    return outcome


def _failed(
    message: OutboxMessage, error: Exception, now: datetime, config: dict, outcome: Outcome
) -> None:
    message.tries += 1
    message.last_error = _error_text(error)
    if message.tries >= config["MAIL_MAX_TRIES"]:
        message.status = "failed"
        outcome.failed += 1
        log.error(
            "Mail %s failed after %s tries: %s", message.id, message.tries, message.last_error
        )
        return
    wait = config["MAIL_RETRY_SECONDS"] * 2 ** (message.tries - 1)
    message.status, message.next_attempt_at = "queued", now + timedelta(seconds=wait)
    outcome.retried += 1
    log.warning("Mail %s not sent (try %s): %s", message.id, message.tries, message.last_error)


def retry(message: OutboxMessage) -> None:
    """An admin sends a failed message again: it gets a fresh set of tries."""
    message.status, message.tries, message.next_attempt_at = "queued", 0, utcnow()
