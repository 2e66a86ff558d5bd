"""Erasure in the outbox: stored messages and .eml files hold names, addresses and phones.

Called (registry.erasure_scrubbers) with the erased person's patterns from
app/people/scrub.py, before the site's own columns are scrubbed:
- a message to the person's address goes, whether waiting, sent or failed, with its file;
- any other message of the site, or of no site (digests, account invitations), that
  mentions them has its subject, text and recipient name rewritten; a shared calendar
  that mentions them is stored again without them; a shared attachment that mentions them
  but cannot be edited as text (a Word agenda) is taken off every message carrying it and
  deleted; the message's .eml file is written again. A message stored whole (queued
  before #34) is read with the email package and rewritten the same way, or deleted when
  it cannot be read back (its subject and its text, HTML (text between tags, unescaped
  first), calendar and .ics parts are rewritten);
- an .eml file whose message was already purged goes when it was sent to the person.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from email import policy
from email.errors import MessageError
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import current_app
from markupsafe import escape
from sqlalchemy import delete, or_, select

from app.core.addresses import valid_address
from app.core.cleantext import plain_text
from app.extensions import db
from app.notifications.compose import as_bytes
from app.notifications.models import MailPart, OutboxAttachment, OutboxMessage
from app.notifications.sender import eml_message_id, eml_path
from app.notifications.stored import delete_unused_parts, digest, parts_of, store_parts
from app.people.scrub import ErasureReport, Secret, replace_secrets

READER = BytesParser(policy=policy.default)
UNREADABLE = (MessageError, ValueError, UnicodeError, LookupError)


def _person_addresses(secrets: list[Secret]) -> set[str]:
    """The person's address as typed and as the outbox holds it (IDNA domain)."""
    found = set()
    for secret in secrets:
        if secret.kind == "email":
            found.add(secret.needle)
            sent = valid_address(secret.needle)
            if sent:
                found.add(sent.lower())
    return found


def _utf8(text: str) -> str:
    """A header of an SMTPUTF8 message as UTF-8 (the parser keeps raw bytes as escapes)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _mentions(data: bytes, secrets: list[Secret]) -> bool:
    """Whether a binary attachment names the person; a Word file is read part by part."""
    buffer = io.BytesIO(data)
    if zipfile.is_zipfile(buffer):
        with zipfile.ZipFile(buffer) as package:
            texts = [package.read(name).decode("utf-8", "replace") for name in package.namelist()]
    else:
        texts = [data.decode("utf-8", "replace")]
    return any(secret.pattern.search(text) for text in texts for secret in secrets)


def _is_text(part: EmailMessage) -> bool:
    return part.get_content_maintype() == "text" or part.get_content_type() == "application/ics"


def _drop_unreadable_mentions(message: EmailMessage, secrets: list[Secret]) -> bool:
    changed = False
    for part in list(message.walk()):
        if not part.is_multipart():
            continue
        children = part.get_payload()
        kept = [
            child
            for child in children
            if child.is_multipart()
            or _is_text(child)
            or not _mentions(child.get_content(), secrets)
        ]
        if len(kept) != len(children):
            part.set_payload(kept)
            changed = True
    return changed


# A tag, kept as it is: the HTML part's attributes hold only the app's own links.
TAG = re.compile(r"(<[^>]*>)")


def _replace_in_html(page: str, secrets: list[Secret], report: ErasureReport) -> str:
    """The HTML part with the person's details replaced in its text. People's text is
    escaped there ("O&#39;Brien"), so each run of text between tags is read unescaped,
    rewritten, and escaped again when it changed."""
    runs = TAG.split(page)
    for index in range(0, len(runs), 2):  # even indexes are text, odd ones tags
        text = html.unescape(runs[index])
        cleaned = replace_secrets(text, secrets, report)
        if cleaned != text:
            runs[index] = str(escape(cleaned))
    return "".join(runs)


def _rewrite_text_parts(
    message: EmailMessage, secrets: list[Secret], report: ErasureReport
) -> bool:
    changed = False
    for part in message.walk():
        if part.is_multipart() or not _is_text(part):
            continue
        content = part.get_content()
        text = content if isinstance(content, str) else content.decode("utf-8")
        if part.get_content_type() == "text/html":
            cleaned = _replace_in_html(text, secrets, report)
        else:
            cleaned = replace_secrets(text, secrets, report)
        if cleaned == text:
            continue
        changed = True
        if isinstance(content, str):
            method = part.get_param("method")
            params = {"method": method} if method else None
            part.set_content(cleaned, subtype=part.get_content_subtype(), params=params)
        else:
            part.set_content(
                cleaned.encode(),
                maintype=part.get_content_maintype(),
                subtype=part.get_content_subtype(),
                filename=part.get_filename(),
            )
    return changed


def redacted(raw: bytes, secrets: list[Secret], report: ErasureReport) -> EmailMessage | None:
    """The stored message without the person's details, or None when it never had them."""
    message = READER.parsebytes(raw)
    changed = False
    subject = message["Subject"]
    if subject is not None:
        cleaned = replace_secrets(_utf8(str(subject)), secrets, report)
        if cleaned != _utf8(str(subject)):
            message.replace_header("Subject", plain_text(cleaned))
            changed = True
    changed |= _drop_unreadable_mentions(message, secrets)
    changed |= _rewrite_text_parts(message, secrets, report)
    return message if changed else None


def _sent_to(raw: bytes, addresses: set[str]) -> bool:
    try:
        to = READER.parsebytes(raw, headersonly=True)["To"]
        return to is not None and any(
            _utf8(address.addr_spec).lower() in addresses for address in to.addresses
        )
    except UNREADABLE:
        return False


def scrub_outbox(site_id: int, secrets: list[Secret], report: ErasureReport) -> None:
    """Remove the person from the outbox and from the mail files (see the module's text)."""
    addresses = _person_addresses(secrets)
    folder = Path(current_app.config["MAIL_DIR"])
    rows = db.session.scalars(
        select(OutboxMessage).where(
            or_(OutboxMessage.site_id == site_id, OutboxMessage.site_id.is_(None))
        )
    ).all()
    kept = []
    for row in rows:
        file = eml_path(folder, row.id, row.kind)
        if row.to_address.lower() in addresses:
            _forget(row, file, report)
        else:
            kept.append(row)
    db.session.flush()
    changed = _scrub_parts([row.id for row in kept], secrets, report)
    for row in kept:
        file = eml_path(folder, row.id, row.kind)
        if row.message:  # queued before #34: the whole message is stored
            row.subject = replace_secrets(row.subject, secrets, report)
            if not _scrub_whole(row, file, secrets, report):
                continue
        elif not (_scrub_fields(row, secrets, report) or row.id in changed):
            continue
        report.places["mail_outbox.message"] += 1
    db.session.flush()
    for row in kept:
        _scrub_file(row, eml_path(folder, row.id, row.kind), secrets, report)
    delete_unused_parts()
    _forget_orphan_files(folder, addresses, report)


def _scrub_file(
    row: OutboxMessage, file: Path, secrets: list[Secret], report: ErasureReport
) -> None:
    """A written .eml file is scrubbed as the message it holds, not written again from the
    row: an agenda written at send time (stored.DOCUMENTS) is in the file only, and
    writing it again now would put the person, not yet scrubbed from the site, back in."""
    if not file.exists():
        return
    try:
        message = redacted(file.read_bytes(), secrets, report)
    except UNREADABLE:
        file.unlink()
        report.places["mail files"] += 1
        return
    if message is not None:
        file.write_bytes(as_bytes(message, row.to_address))
        report.places["mail files"] += 1


def _scrub_fields(row: OutboxMessage, secrets: list[Secret], report: ErasureReport) -> bool:
    changed = False
    for name in ("subject", "body", "recipient_name"):
        text = getattr(row, name)
        cleaned = replace_secrets(text, secrets, report)
        if cleaned != text:
            setattr(row, name, cleaned)
            changed = True
    return changed


def _scrub_parts(message_ids: list[int], secrets: list[Secret], report: ErasureReport) -> set[int]:
    """Shared calendars are rewritten (stored again under their new content) and shared
    attachments that mention the person (a Word agenda) are taken off every message
    carrying them; returns the ids of the messages changed."""
    changed: set[int] = set()
    calendars, attachments = parts_of(message_ids, stored_only=True)
    rewritten: dict[bytes, bytes] = {}
    for message_id, calendar in calendars.items():
        if calendar not in rewritten:
            text = calendar.decode("utf-8", "replace")
            rewritten[calendar] = replace_secrets(text, secrets, report).encode()
        if rewritten[calendar] != calendar:
            changed.add(message_id)
    new_ids = store_parts(rewritten[c] for c in rewritten if rewritten[c] != c)
    for message_id in changed:
        row = db.session.get(OutboxMessage, message_id)
        row.calendar_id = new_ids[digest(rewritten[calendars[message_id]])]
    mentioning = {
        item.content
        for items in attachments.values()
        for item in items
        if _mentions(item.content, secrets)
    }
    if mentioning:
        bad_parts = select(MailPart.id).where(MailPart.digest.in_({digest(c) for c in mentioning}))
        dropped = db.session.execute(
            delete(OutboxAttachment)
            .where(OutboxAttachment.part_id.in_(bad_parts))
            .returning(OutboxAttachment.message_id)
        )
        changed |= set(dropped.scalars())
    return changed


def _scrub_whole(
    row: OutboxMessage, file: Path, secrets: list[Secret], report: ErasureReport
) -> bool:
    """A message stored whole (queued before #34), rewritten; False when it had nothing."""
    try:
        message = redacted(row.message, secrets, report)
        if message is None:
            return False
        row.message = as_bytes(message, row.to_address)
    except UNREADABLE:
        _forget(row, file, report)
        return False
    return True


def _forget(row: OutboxMessage, file: Path, report: ErasureReport) -> None:
    db.session.delete(row)
    report.places["mail_outbox.message"] += 1
    if file.exists():
        file.unlink()
        report.places["mail files"] += 1


def _forget_orphan_files(folder: Path, addresses: set[str], report: ErasureReport) -> None:
    """Files of messages no longer in the outbox (purged, or deleted by this erasure)."""
    if not folder.is_dir():
        return
    known = set(db.session.scalars(select(OutboxMessage.id)))
    for file in folder.glob("*.eml"):
        if eml_message_id(file) in known:
            continue
        if _sent_to(file.read_bytes(), addresses):
            file.unlink()
            report.places["mail files"] += 1
