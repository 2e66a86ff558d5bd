"""Who can be emailed, and how names and addresses go into headers safely.

Imports no feature models, so the meetings calendar code can use it too.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr
from typing import TYPE_CHECKING

from email_validator import EmailNotValidError, validate_email
from flask import current_app

if TYPE_CHECKING:
    from app.meetings.models import Meeting


def valid_address(value: str | None) -> str | None:
    """The address ready to use, or None when it cannot be emailed (empty or malformed)."""
    value = (value or "").strip()
    if not value or any(ch in value for ch in "\r\n<>,;"):
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def header_text(text: str) -> str:
    """One line of text for a header. Line breaks would start a new header (header
    injection), so every run of white space, CR and LF included, becomes one space."""
    return " ".join(str(text).split())


def mailbox(name: str, address: str) -> Address:
    """`Name <address>` for a header; the email package quotes and encodes the name."""
    return Address(display_name=header_text(name), addr_spec=address)


def sender_address(mail_from: str) -> tuple[str, str]:
    """(display name, address) of the MAIL_FROM setting."""
    name, address = parseaddr(mail_from)
    return header_text(name) or "FLS Tracker", address or "fls-tracker@localhost"


def meeting_people(
    meeting: Meeting, mail_from: str
) -> tuple[tuple[str, str], list[tuple[str, str]]]:
    """The organiser (the chair when they have an email, else the app's sender) and every
    invitee with a usable email, as (name, address) pairs for a calendar."""
    chair_address = valid_address(meeting.chair.email) if meeting.chair else None
    organiser = (meeting.chair.name, chair_address) if chair_address else sender_address(mail_from)
    attendees = []
    for invitee in sorted(meeting.invitees, key=lambda inv: inv.person.name):
        person = invitee.person
        address = None if person.erased else valid_address(person.email)
        if address:
            attendees.append((person.name, address))
    return organiser, attendees


def calendar_people(meeting: Meeting) -> tuple[tuple[str, str], list[tuple[str, str]]]:
    """`meeting_people` with the configured sender, for the calendar downloads and feed."""
    return meeting_people(meeting, current_app.config["MAIL_FROM"])
