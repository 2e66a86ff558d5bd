"""Putting messages in the outbox, in the caller's transaction (callers commit).

A message saved with the change that caused it cannot be lost by a crash or an SMTP outage:
`flask send-mail` delivers it later. Logs name message, person and user ids only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.errors import MessageError

from sqlalchemy import exists, insert, select, update

from app.accounts.models import User
from app.core.addresses import valid_address
from app.core.cleantext import clean_text, plain_text
from app.extensions import db
from app.notifications.compose import Draft, Recipient, as_bytes, build
from app.notifications.models import MAIL_CHOICES, MailOptOut, MailPreference, OutboxMessage
from app.notifications.stored import attachment_rows, digest, save_attachments, store_parts
from app.people.models import Person
from app.sites.models import Membership

log = logging.getLogger(__name__)


class NotOnSite(ValueError):
    """A message to someone outside the site it is about: refused, never sent."""


def opted_out(addresses: list[str]) -> set[str]:
    if not addresses:
        return set()
    return set(
        db.session.scalars(select(MailOptOut.address).where(MailOptOut.address.in_(addresses)))
    )


def person_recipients(people: list[Person]) -> list[Recipient]:
    """People who can get meeting mail: not erased, a usable email, not opted out."""
    usable = [
        (person, address)
        for person in people
        if not person.erased and (address := valid_address(person.email))
    ]
    blocked = opted_out([address for _person, address in usable])
    return [
        Recipient(person.name, address, person_id=person.id)
        for person, address in usable
        if address not in blocked
    ]


def frequencies(user_ids: list[int]) -> dict[int, str]:
    """Each user's choice; users without a saved choice get emails straight away."""
    chosen = dict(
        db.session.execute(
            select(MailPreference.user_id, MailPreference.frequency).where(
                MailPreference.user_id.in_(user_ids)
            )
        ).all()
    )
    return {user_id: chosen.get(user_id, "immediate") for user_id in user_ids}


def user_recipients(users: list[User], frequency: str = "immediate") -> list[Recipient]:
    """Active users whose reminder digest choice is `frequency`, with a usable address."""
    choices = frequencies([user.id for user in users])
    return [
        Recipient(user.name, address, user_id=user.id)
        for user in users
        if user.active and choices[user.id] == frequency and (address := valid_address(user.email))
    ]


def gateway_recipients(users: list[User]) -> list[Recipient]:
    """Active users with a usable address who have not switched gateway mail off (by its
    own choice or a gateway email's unsubscribe link; the digest's choice plays no part)."""
    switched_off = set(
        db.session.scalars(
            select(MailPreference.user_id).where(
                MailPreference.user_id.in_([user.id for user in users]),
                MailPreference.gateway_mail.is_(False),
            )
        )
    )
    return [
        Recipient(user.name, address, user_id=user.id)
        for user in users
        if user.active and user.id not in switched_off and (address := valid_address(user.email))
    ]


def _check_on_site(site_id: int, recipient: Recipient) -> None:
    if recipient.person_id is not None:
        on_site = exists().where(Person.id == recipient.person_id, Person.site_id == site_id)
    else:
        on_site = exists().where(
            Membership.user_id == recipient.user_id, Membership.site_id == site_id
        )
    if not db.session.scalar(select(on_site)):
        raise NotOnSite(
            f"person {recipient.person_id} / user {recipient.user_id} is not on site {site_id}"
        )


def queue(
    site_id: int | None,
    kind: str,
    recipient: Recipient,
    draft: Draft,
    scope: str | None,
    thread: str = "",
    once_key: str | None = None,
) -> OutboxMessage | None:
    """Add one message; None when `once_key` was already used (sent or waiting).
    `scope` is the kind of email (MAIL_CHOICES) its unsubscribe link stops; None for mail
    that cannot be switched off (an invitation to sign in), which carries no such link.

    A message with a `thread` replaces any unsent one of the same thread to the same
    address, so someone whose meeting moved twice in a minute gets only the latest."""
    if site_id is not None:
        _check_on_site(site_id, recipient)
    if once_key is not None and db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.once_key == once_key)
    ):
        return None
    if thread:
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.thread == thread,
                OutboxMessage.to_address == recipient.address,
                OutboxMessage.status == "queued",
            )
            .values(status="superseded")
        )
    try:
        # Written once now so a message that cannot be written is known at once; what is
        # stored are its parts, and the sender builds it again when it goes.
        as_bytes(build(recipient, draft, scope), recipient.address)
        status, error = "queued", ""
    except (MessageError, ValueError, TypeError, UnicodeError) as problem:
        # Recorded as failed with its reason, so the change and everyone else's message are
        # still saved and the admins see this one on the mail page.
        status, error = "failed", f"Could not be written: {type(problem).__name__}"
    entry = Queued(site_id, kind, recipient, draft, scope, once_key, thread)
    part_ids = store_parts(_contents([entry]))
    message = OutboxMessage(**_row(entry, part_ids), status=status, last_error=error)
    db.session.add(message)
    db.session.flush()
    save_attachments(attachment_rows(message.id, draft, part_ids))
    log.info(
        "Mail %s %s (%s, site %s, person %s, user %s)",
        message.id, status, kind, site_id, recipient.person_id, recipient.user_id,
    )  # fmt: skip
    return message


@dataclass(frozen=True)
class Queued:
    """One message for `queue_many`: what `queue` takes, without a thread to replace."""

    site_id: int | None
    kind: str
    recipient: Recipient
    draft: Draft
    scope: str | None
    once_key: str | None = None
    thread: str = ""


def _contents(entries: list[Queued]) -> list[bytes]:
    found = []
    for entry in entries:
        if entry.draft.calendar is not None:
            found.append(entry.draft.calendar)
        found += [item.content for item in entry.draft.attachments if not item.document]
    return found


def _row(entry: Queued, part_ids: dict[str, int]) -> dict:
    recipient, draft = entry.recipient, entry.draft
    calendar = draft.calendar
    return {
        "site_id": entry.site_id,
        "kind": entry.kind,
        "thread": entry.thread,
        "once_key": entry.once_key,
        "person_id": recipient.person_id,
        "user_id": recipient.user_id,
        "to_address": recipient.address,
        # Stored as the message will carry them (PostgreSQL text cannot hold a NUL).
        "recipient_name": plain_text(recipient.name),
        "scope": entry.scope or "",  # "" for account mail, which cannot be switched off
        "subject": plain_text(draft.subject),  # as the message carries it
        "body": clean_text(draft.text),
        "calendar_id": part_ids[digest(calendar)] if calendar is not None else None,
        "calendar_method": draft.calendar_method if calendar is not None else "",
        "calendar_name": draft.calendar_name if calendar is not None else "",
        "link": draft.link,
        "button": draft.button,
    }


def _check_all_on_site(entries: list[Queued]) -> None:
    """`_check_on_site` for many messages in at most two statements."""
    people = {(e.recipient.person_id, e.site_id) for e in entries if e.site_id is not None}
    people = {pair for pair in people if pair[0] is not None}
    users = {
        (e.recipient.user_id, e.site_id)
        for e in entries
        if e.site_id is not None and e.recipient.person_id is None
    }
    found: set[tuple] = set()
    if people:
        found |= {
            (person_id, site_id)
            for person_id, site_id in db.session.execute(
                select(Person.id, Person.site_id).where(Person.id.in_({p for p, _s in people}))
            )
        }
    if users:
        found |= {
            (user_id, site_id)
            for user_id, site_id in db.session.execute(
                select(Membership.user_id, Membership.site_id).where(
                    Membership.user_id.in_({u for u, _s in users})
                )
            )
        }
    missing = (people | users) - found
    if missing:
        raise NotOnSite(f"{len(missing)} recipients are not on the site their message is about")


def keys_used(keys: list[str]) -> set[str]:
    """The once-keys among `keys` already used by a message (sent or waiting)."""
    used: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_STATEMENT):
        chunk = keys[start : start + KEYS_PER_STATEMENT]
        used |= set(
            db.session.scalars(
                select(OutboxMessage.once_key).where(OutboxMessage.once_key.in_(chunk))
            )
        )
    return used


# Bound parameters per statement stay well under SQLite's and PostgreSQL's limits.
KEYS_PER_STATEMENT = 5000


def queue_many(entries: list[Queued]) -> int:
    """Queue many messages in bulk statements (the daily reminders): the same checks as
    `queue` and a fixed number of statements, one more per 5,000 once-keys, whatever the
    number of messages (a message with attachments needs a once_key). Messages whose
    `once_key` was used already are skipped; returns how many were queued. A message that
    cannot be built fails when the sender builds it."""
    if any(entry.thread for entry in entries):
        raise ValueError("queue_many does not replace threads: use queue")
    if any(entry.scope is not None and entry.scope not in MAIL_CHOICES for entry in entries):
        raise ValueError("each message's scope is one of MAIL_CHOICES, or None for account mail")
    if any(entry.draft.attachments and entry.once_key is None for entry in entries):
        raise ValueError("queue_many needs a once_key on a message with attachments")
    _check_all_on_site(entries)
    used = keys_used([e.once_key for e in entries if e.once_key is not None])
    fresh: list[Queued] = []
    for entry in entries:
        if entry.once_key is not None:
            if entry.once_key in used:
                continue
            used.add(entry.once_key)
        fresh.append(entry)
    if not fresh:
        return 0
    part_ids = store_parts(_contents(fresh))
    # A plain many-row INSERT (RETURNING in parameter order is one row a statement on
    # SQLite); messages with attachments are found again by their once-keys.
    db.session.execute(insert(OutboxMessage), [_row(entry, part_ids) for entry in fresh])
    attached = {e.once_key: e for e in fresh if e.draft.attachments}
    ids = _ids_by_key(list(attached))
    save_attachments(
        [
            row
            for key, entry in attached.items()
            for row in attachment_rows(ids[key], entry.draft, part_ids)
        ]
    )
    log.info("Mail: %s messages queued in bulk", len(fresh))
    return len(fresh)


def _ids_by_key(keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), KEYS_PER_STATEMENT):
        chunk = keys[start : start + KEYS_PER_STATEMENT]
        found.update(
            db.session.execute(
                select(OutboxMessage.once_key, OutboxMessage.id).where(
                    OutboxMessage.once_key.in_(chunk)
                )
            ).all()
        )
    return found
