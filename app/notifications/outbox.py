"""Putting messages in the outbox, in the caller's transaction (callers commit).

A message saved with the change that caused it cannot be lost by a crash or an SMTP outage:
`flask send-mail` delivers it later. Logs name message, person and user ids only.
"""

from __future__ import annotations

import logging
from email.errors import MessageError

from sqlalchemy import exists, select, update

from app.accounts.models import User
from app.core.addresses import valid_address
from app.core.cleantext import plain_text
from app.extensions import db
from app.notifications.compose import Draft, Recipient, as_bytes, build
from app.notifications.models import MailOptOut, MailPreference, OutboxMessage
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
        raw, status, error = (
            as_bytes(build(recipient, draft, scope), recipient.address),
            "queued",
            "",
        )
    except (MessageError, ValueError, TypeError, UnicodeError) as problem:
        # Recorded as failed with its reason, so the change and everyone else's message are
        # still saved and the admins see this one on the mail page.
        raw, status, error = b"", "failed", f"Could not be written: {type(problem).__name__}"
    message = OutboxMessage(
        site_id=site_id,
        kind=kind,
        thread=thread,
        once_key=once_key,
        person_id=recipient.person_id,
        user_id=recipient.user_id,
        to_address=recipient.address,
        subject=plain_text(draft.subject)[:300],  # as in the message, for the admin page
        message=raw,
        status=status,
        last_error=error,
    )
    db.session.add(message)
    db.session.flush()
    log.info(
        "Mail %s %s (%s, site %s, person %s, user %s)",
        message.id, status, kind, site_id, recipient.person_id, recipient.user_id,
    )  # fmt: skip
    return message
