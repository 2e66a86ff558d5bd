"""Erasure in the outbox: stored messages and .eml files hold names, addresses and phones.

Called (registry.erasure_scrubbers) with the erased person's patterns from
app/people/scrub.py, before the site's own columns are scrubbed:
- a message to the person's address goes, whether waiting, sent or failed, with its file;
- any other message of the site, or of no site (digests, account invitations), that
  mentions them is read with the email package; its subject and its text, HTML (text
  between tags, unescaped first), calendar and .ics parts are rewritten, an attachment
  that mentions them but cannot be edited as text (a Word agenda) is taken out, and its
  .eml file is written again. A message that cannot be read back is deleted rather than
  kept with the details in it;
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
from sqlalchemy import or_, select

from app.core.addresses import valid_address
from app.core.cleantext import plain_text
from app.extensions import db
from app.notifications.compose import as_bytes
from app.notifications.models import OutboxMessage
from app.notifications.sender import eml_message_id, eml_path
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
    for row in rows:
        file = eml_path(folder, row.id, row.kind)
        if row.to_address.lower() in addresses:
            _forget(row, file, report)
            continue
        row.subject = replace_secrets(row.subject, secrets, report)
        if not row.message:
            continue
        try:
            message = redacted(row.message, secrets, report)
            if message is None:
                continue
            row.message = as_bytes(message, row.to_address)
        except UNREADABLE:
            _forget(row, file, report)
            continue
        report.places["mail_outbox.message"] += 1
        if file.exists():
            file.write_bytes(row.message)
            report.places["mail files"] += 1
    db.session.flush()
    _forget_orphan_files(folder, addresses, report)


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
