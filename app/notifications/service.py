"""Email choices: each user's frequency, opting out of meeting mail, unsubscribing, and a
site's agenda notice. Plain values in; callers commit."""

from __future__ import annotations

import logging

from sqlalchemy import delete, select

from app.accounts.models import User
from app.core.addresses import valid_address
from app.core.errors import ServiceError
from app.extensions import db
from app.notifications.models import (
    FREQUENCIES,
    MAIL_CHOICES,
    MailOptOut,
    MailPreference,
    OutboxMessage,
)
from app.people.models import Person
from app.sites.models import Site

log = logging.getLogger(__name__)


def frequency_of(user: User) -> str:
    choice = db.session.get(MailPreference, user.id)
    return choice.frequency if choice else "immediate"


def gateway_mail_on(user: User) -> bool:
    choice = db.session.get(MailPreference, user.id)
    return choice.gateway_mail if choice else True


def meeting_mail_on(address: str | None) -> bool:
    address = valid_address(address)
    if address is None:
        return False
    return db.session.scalar(select(MailOptOut.id).where(MailOptOut.address == address)) is None


def set_meeting_mail(address: str | None, wanted: bool) -> None:
    address = valid_address(address)
    if address is None:
        return
    if wanted:
        db.session.execute(delete(MailOptOut).where(MailOptOut.address == address))
    elif meeting_mail_on(address):
        db.session.add(MailOptOut(address=address))
    db.session.flush()


def _preference(user: User) -> MailPreference:
    choice = db.session.get(MailPreference, user.id)
    if choice is None:
        choice = MailPreference(user_id=user.id, frequency="immediate", gateway_mail=True)
        db.session.add(choice)
    return choice


def save_preferences(user: User, frequency: str, gateway_mail: bool, meeting_mail: bool) -> None:
    if frequency not in FREQUENCIES:
        raise ServiceError("Choose how often you want reminder emails.", "frequency")
    choice = _preference(user)
    choice.frequency = frequency
    choice.gateway_mail = gateway_mail
    set_meeting_mail(user.email, meeting_mail)
    log.info("Email choices of user %s saved: %s", user.id, frequency)


def unsubscribe(payload: dict) -> str | None:
    """Apply a signed unsubscribe link: it stops only the kind of email it came in
    (its scope). Returns the words for that kind, or None if nobody matches."""
    scope = payload["s"]
    if "u" in payload:
        user = db.session.get(User, payload["u"])
        if user is None:
            return None
        if scope == "digest":
            _preference(user).frequency = "none"
        elif scope == "gateways":
            _preference(user).gateway_mail = False
        else:
            set_meeting_mail(user.email, False)
        db.session.flush()
        log.info("User %s unsubscribed from %s mail", user.id, scope)
    else:
        person = db.session.get(Person, payload.get("p", 0))
        if scope != "meetings" or person is None or valid_address(person.email) is None:
            return None
        set_meeting_mail(person.email, False)
        log.info("Person %s unsubscribed from meeting mail", person.id)
    return MAIL_CHOICES[scope]


def set_agenda_notice(site: Site, days: int | None) -> None:
    if days is None or not 0 <= days <= 30:
        raise ServiceError("Enter a number of days from 0 to 30.", "agenda_notice_days")
    site.agenda_notice_days = days
    db.session.flush()


def forget_person(person_id: int, site_id: int) -> None:
    """On erasure: their messages go, sent or waiting (they hold the name and address).
    An opt-out stays: it is how we keep honouring their wish not to be emailed."""
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.person_id == person_id, OutboxMessage.site_id == site_id
        )
    )
