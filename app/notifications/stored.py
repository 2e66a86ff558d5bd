"""How the outbox keeps a message: its parts, shared content stored once, and the message
built from them when it is sent.

A meeting's agenda goes to every invitee with the same .docx; an invitation carries the
same calendar to each. Such content is a `MailPart` keyed by its SHA-256, stored once
however many messages carry it. A message row holds only what is its own (recipient,
subject, text, scope) and points at its parts; `render` builds the whole message with
`compose.build` at send time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from sqlalchemy import delete, exists, insert, outerjoin, select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.notifications.compose import Attachment, Draft, Recipient, as_bytes, build
from app.notifications.models import MailPart, OutboxAttachment, OutboxMessage

# Documents written when their message is sent rather than stored: kind -> (object id ->
# the attachment). Filled by the module that writes them (invitations: "agenda"). A
# meeting's agenda is the same .docx for every invitee; written at send time it takes no
# room in the outbox, is the agenda as it stands when it goes, and after an erasure no
# longer names the erased person. A builder raises LookupError when its record is gone.
DOCUMENTS: dict[str, Callable[[int], Attachment]] = {}


def deferred(kind: str, object_id: int, filename: str, maintype: str, subtype: str) -> Attachment:
    """An attachment written at send time by DOCUMENTS[kind] (no content stored)."""
    return Attachment(filename, b"", maintype, subtype, document=f"{kind}:{object_id}")


def written(document: str, cache: dict[str, Attachment]) -> Attachment:
    if document not in cache:
        kind, _sep, object_id = document.partition(":")
        cache[document] = DOCUMENTS[kind](int(object_id))
    return cache[document]


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store_parts(contents: Iterable[bytes]) -> dict[str, int]:
    """Each distinct content saved once (kept when already there): {digest: part id}.
    Two statements whatever the number of contents."""
    by_digest = {digest(content): content for content in contents}
    if not by_digest:
        return {}
    dialect = db.session.get_bind().dialect.name
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        dialect_insert(MailPart).on_conflict_do_nothing(index_elements=["digest"]),
        [{"digest": key, "content": content} for key, content in by_digest.items()],
    )
    return dict(
        db.session.execute(
            select(MailPart.digest, MailPart.id).where(MailPart.digest.in_(list(by_digest)))
        ).all()
    )


def attachment_rows(message_id: int, draft: Draft, part_ids: dict[str, int]) -> list[dict]:
    """The rows linking one message to its attachments' shared parts."""
    return [
        {
            "message_id": message_id,
            "position": position,
            "part_id": None if item.document else part_ids[digest(item.content)],
            "document": item.document,
            "filename": item.filename,
            "maintype": item.maintype,
            "subtype": item.subtype,
        }
        for position, item in enumerate(draft.attachments)
    ]


def save_attachments(rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(OutboxAttachment), rows)


def parts_of(
    message_ids: list[int],
    documents: dict[str, Attachment] | None = None,
    stored_only: bool = False,
) -> tuple[dict[int, bytes], dict[int, list[Attachment]]]:
    """The calendars and attachments of some messages, in two statements (and those of
    each document written, once each: `documents` caches them across calls; none with
    `stored_only`): ({message id: calendar}, {message id: attachments in order})."""
    documents = {} if documents is None else documents
    if not message_ids:
        return {}, {}
    calendars = dict(
        db.session.execute(
            select(OutboxMessage.id, MailPart.content)
            .join(MailPart, MailPart.id == OutboxMessage.calendar_id)
            .where(OutboxMessage.id.in_(message_ids))
        ).all()
    )
    attachments: dict[int, list[Attachment]] = {}
    rows = db.session.execute(
        select(OutboxAttachment, MailPart.content)
        .select_from(outerjoin(OutboxAttachment, MailPart))
        .where(OutboxAttachment.message_id.in_(message_ids))
        .order_by(OutboxAttachment.message_id, OutboxAttachment.position)
    ).all()
    for link, content in rows:
        if link.document:
            if stored_only:
                continue
            content = written(link.document, documents).content
        attachments.setdefault(link.message_id, []).append(
            Attachment(link.filename, content, link.maintype, link.subtype)
        )
    return calendars, attachments


def draft_of(
    message: OutboxMessage, calendar: bytes | None, attachments: list[Attachment]
) -> Draft:
    """The Draft the message was queued with, from its row and its parts."""
    optional = {"button": message.button} if message.button else {}
    if message.calendar_name:
        optional["calendar_name"] = message.calendar_name
    return Draft(
        message.subject,
        message.body,
        link=message.link,
        calendar=calendar,
        calendar_method=message.calendar_method or "REQUEST",
        attachments=attachments,
        **optional,
    )


def render(
    message: OutboxMessage,
    calendar: bytes | None = None,
    attachments: list[Attachment] | None = None,
) -> bytes:
    """The message as it goes to its recipient, built now from its stored parts (a row
    queued before #34 carries its whole message and is sent as it is)."""
    if message.message:
        return message.message
    if calendar is None and attachments is None:
        calendars, found = parts_of([message.id])
        calendar, attachments = calendars.get(message.id), found.get(message.id, [])
    recipient = Recipient(
        message.recipient_name, message.to_address, message.person_id, message.user_id
    )
    draft = draft_of(message, calendar, attachments or [])
    return as_bytes(build(recipient, draft, message.scope or None), message.to_address)


def delete_unused_parts() -> None:
    """Parts no message carries any more (their messages were purged or erased)."""
    used_as_attachment = exists().where(OutboxAttachment.part_id == MailPart.id)
    used_as_calendar = exists().where(OutboxMessage.calendar_id == MailPart.id)
    db.session.execute(delete(MailPart).where(~used_as_attachment, ~used_as_calendar))
