"""A meeting's organiser and attendees with usable email addresses, for calendars."""

from __future__ import annotations

from flask import current_app

from app.core.addresses import sender_address, valid_address
from app.meetings.models import Meeting

# (name, address) of the organiser; (name, address, ROLE) of each attendee
Organiser = tuple[str, str]
Attendee = tuple[str, str, str]


def meeting_people(meeting: Meeting, mail_from: str) -> tuple[Organiser, list[Attendee]]:
    """The organiser (whoever booked the meeting, when they have an email, else the app's
    sender) and the attendees with a usable email: the chair with ROLE=CHAIR, then every
    other invitee as a required participant."""
    booker = meeting.booked_by
    booker_address = valid_address(booker.email) if booker else None
    organiser = (booker.name, booker_address) if booker_address else sender_address(mail_from)
    attendees: list[Attendee] = []
    chair = meeting.chair
    chair_address = None if chair is None or chair.erased else valid_address(chair.email)
    if chair_address:
        attendees.append((chair.name, chair_address, "CHAIR"))
    for invitee in sorted(meeting.invitees, key=lambda inv: inv.person.name):
        person = invitee.person
        address = None if person.erased else valid_address(person.email)
        if address and address != chair_address:
            attendees.append((person.name, address, "REQ-PARTICIPANT"))
    return organiser, attendees


def calendar_people(meeting: Meeting) -> tuple[Organiser, list[Attendee]]:
    """`meeting_people` with the configured sender, for the calendar downloads and feed."""
    return meeting_people(meeting, current_app.config["MAIL_FROM"])
