"""Delivering the outbox: SMTP when MAIL_SERVER is set, else .eml files under MAIL_DIR.

Each message is claimed, sent and marked in its own transaction, so a crash or an outage
loses nothing: a failed try waits (doubling each time) and is tried again, up to
MAIL_MAX_TRIES, and then shows as failed on the admin mail page. A message no retry can
deliver (the server refuses the address for good, or cannot take an SMTPUTF8 address) is
marked failed at once with its reason. Whatever goes wrong with one message, the others
are still sent, and no message is left "sending" when the run ends.

A run claims its messages with a token of its own. Right before each message goes, the
claim is checked and renewed in one statement: a sender that was held up past
STALE_CLAIM (a slow server) finds the message claimed by another sender and leaves it, so
a message is delivered once even when a stale claim is taken over.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import MessageError
from email.utils import parseaddr
from pathlib import Path
from uuid import uuid4

from flask import current_app
from sqlalchemy import delete, select, update

from app.core.addresses import needs_smtputf8
from app.core.dates import utcnow
from app.extensions import db
from app.notifications.compose import Attachment
from app.notifications.models import OutboxMessage
from app.notifications.stored import delete_unused_parts, parts_of, render

log = logging.getLogger(__name__)
# A claim older than this belongs to a sender that died mid-send: the message goes back.
STALE_CLAIM = timedelta(minutes=15)
# Documents written at send time (agendas) kept in memory between batches of a run.
KEEP_DOCUMENTS = 50


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    taken_over: int = 0  # claimed by another sender while this one was held up


class Undeliverable(Exception):
    """No retry can deliver this message; the text (never an address) says why."""


def eml_path(folder: Path, message_id: int, kind: str) -> Path:
    """Where the file transport writes a message (erasure finds it there too)."""
    return folder / f"{message_id:06d}-{kind}.eml"


def eml_message_id(path: Path) -> int | None:
    """The outbox id an .eml file was written for (None for any other file)."""
    number = path.stem.partition("-")[0]
    return int(number) if number.isdigit() else None


class FileTransport:
    """The embedded default: one .eml file per message, to open in any mail program."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def send(self, message: OutboxMessage, raw: bytes, envelope_from: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        final = eml_path(self.folder, message.id, message.kind)
        partial = final.with_suffix(".part")
        partial.write_bytes(raw)
        partial.replace(final)  # never a half-written .eml

    def close(self) -> None:
        pass


class SmtpTransport:
    """One connection for a run, opened on first use and opened again after a failure."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None
        self.connections = 0  # opened by this transport (one a batch unless one fails)

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

    def send(self, message: OutboxMessage, raw: bytes, envelope_from: str) -> None:
        if self.connection is None:
            self.connection = self._connect()
            self.connections += 1
        try:
            self.connection.ehlo_or_helo_if_needed()
            options = self._options_for(message.to_address)
            self.connection.sendmail(envelope_from, [message.to_address], raw, mail_options=options)
        except Undeliverable:
            raise
        except Exception:
            self.close()
            raise

    def _options_for(self, address: str) -> list[str]:
        if not needs_smtputf8(address):
            return []
        if not self.connection.has_extn("smtputf8"):
            raise Undeliverable(
                "The mail server does not accept addresses with letters outside A to Z "
                "before the @ (it does not offer SMTPUTF8)."
            )
        return ["SMTPUTF8"]

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # already gone
                self.connection.quit()
            self.connection = None


def transport_for(config: dict) -> FileTransport | SmtpTransport:
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return FileTransport(config["MAIL_DIR"])


def _smtp_codes(error: Exception) -> list[int]:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _text in error.recipients.values()]
    code = getattr(error, "smtp_code", None)
    return [code] if isinstance(code, int) else []


def _error_text(error: Exception) -> str:
    """What went wrong, for the admins: the kind of error and the SMTP code. Never the
    server's text, which often repeats the recipient's address."""
    if isinstance(error, Undeliverable):
        return str(error)
    codes = _smtp_codes(error)
    return f"{type(error).__name__}" + (f" (SMTP {codes[0]})" if codes else "")


def _permanent(error: Exception) -> bool:
    """Errors no retry can mend: refused for good (5xx) for this message's recipient or
    content, or a message that cannot be written for this server at all."""
    if isinstance(error, Undeliverable | UnicodeError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
        codes = _smtp_codes(error)
        return bool(codes) and all(code >= 500 for code in codes)
    return False


def _release_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.next_attempt_at < now - STALE_CLAIM)
        .values(status="queued", claim=None)
    )
    db.session.commit()


def _claim(limit: int, now: datetime) -> tuple[str, list[int]]:
    """Mark the due messages as this run's, in one statement, so a second sender running
    at the same time skips them; returns the run's token and the ids it holds."""
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(due))
    token = uuid4().hex
    if not ids:
        return token, []
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "queued")
        .values(status="sending", claim=token, next_attempt_at=utcnow())
    )
    db.session.commit()
    held = select(OutboxMessage.id).where(
        OutboxMessage.claim == token, OutboxMessage.status == "sending"
    )
    return token, list(db.session.scalars(held.order_by(OutboxMessage.id)))


def _still_ours(message_id: int, token: str) -> bool:
    """Check the claim right before sending and renew its time in the same statement:
    False when another sender took the message over after this run's claim went stale."""
    renewed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claim == token,
            OutboxMessage.status == "sending",
        )
        .values(next_attempt_at=utcnow())
    )
    db.session.commit()
    return renewed.rowcount == 1


def _release_unsent(token: str) -> None:
    """Whatever this run still holds goes back to the queue (the run stopped early)."""
    db.session.rollback()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim == token, OutboxMessage.status == "sending")
        .values(status="queued", claim=None)
    )
    db.session.commit()


def _purge_old(now: datetime, keep_days: int) -> None:
    """Sent and replaced messages hold names and addresses: they are kept only a while,
    and the shared parts (agendas, calendars) go with the last message carrying them."""
    old = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(("sent", "superseded")),
            OutboxMessage.created_at < now - timedelta(days=keep_days),
        )
    )
    if old.rowcount:
        delete_unused_parts()


def send_due(
    now: datetime | None = None, budget_seconds: float | None = None, limit: int | None = None
) -> Outcome:
    """Send every message whose time has come, batch by batch, until none is left, the
    run's time budget (MAIL_RUN_SECONDS) is spent or, when given, `limit` messages were
    tried; returns what happened. Each batch of
    MAIL_BATCH_SIZE messages is claimed in one statement, built from its stored parts
    (read in two statements) and sent over one SMTP connection."""
    config = current_app.config
    now = now or utcnow()
    budget = config["MAIL_RUN_SECONDS"] if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    _purge_old(now, config["MAIL_KEEP_DAYS"])
    _release_stale_claims(now)
    envelope_from = parseaddr(config["MAIL_FROM"])[1] or "fls-tracker@localhost"
    outcome = Outcome()
    left = limit
    documents: dict[str, Attachment] = {}
    while time.monotonic() < deadline and (left is None or left > 0):
        size = config["MAIL_BATCH_SIZE"] if left is None else min(left, config["MAIL_BATCH_SIZE"])
        token, ids = _claim(size, now)
        if not ids:
            break
        # Documents written for one batch serve the next too (a meeting's invitees span
        # batch boundaries); a bounded number is kept.
        if len(documents) > KEEP_DOCUMENTS:
            documents.clear()
        _send_batch(token, ids, envelope_from, now, outcome, documents)
        left = None if left is None else left - len(ids)
    return outcome


def _send_batch(
    token: str,
    ids: list[int],
    envelope_from: str,
    now: datetime,
    outcome: Outcome,
    documents: dict[str, Attachment],
) -> None:
    transport = transport_for(current_app.config)
    try:
        calendars, attachments = parts_of(ids, documents)
        for message_id in ids:
            if not _still_ours(message_id, token):
                outcome.taken_over += 1
                log.warning("Mail %s left to the sender that took it over", message_id)
                continue
            message = db.session.get(OutboxMessage, message_id)
            parts = (calendars.get(message_id), attachments.get(message_id, []))
            _send_one(message, parts, transport, envelope_from, now, outcome)
            db.session.commit()
    finally:
        transport.close()
        _release_unsent(token)


def _send_one(
    message: OutboxMessage,
    parts: tuple[bytes | None, list[Attachment]],
    transport: FileTransport | SmtpTransport,
    envelope_from: str,
    now: datetime,
    outcome: Outcome,
) -> None:
    """One message, and its new status. Any error is this message's alone: it is recorded
    on the message (retried later, or failed) and the run goes on with the next."""
    config = current_app.config
    message.claim = None
    try:
        try:
            raw = render(message, *parts)
        except (MessageError, ValueError, TypeError, UnicodeError, LookupError) as problem:
            raise Undeliverable(f"Could not be written: {type(problem).__name__}") from problem
        transport.send(message, raw, envelope_from)
    except Exception as error:  # any error: one bad message must never stop the others
        _failed(message, error, now, config, outcome)
        return
    message.status, message.sent_at = "sent", utcnow()
    message.tries += 1
    if message.kind == "account_invitation":
        # A working sign-in link must not outlive its delivery in the database: it is the
        # message's link (its button), and in a row queued before #34 the whole message.
        message.message, message.body, message.link = b"", "", None
    outcome.sent += 1
    log.info("Mail %s sent", message.id)


def _failed(
    message: OutboxMessage, error: Exception, now: datetime, config: dict, outcome: Outcome
) -> None:
    message.tries += 1
    message.last_error = _error_text(error)
    if _permanent(error) or message.tries >= config["MAIL_MAX_TRIES"]:
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
