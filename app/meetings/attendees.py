"""A meeting's organiser and attendees with usable email addresses, for calendars."""

from __future__ import annotations

from flask import current_app

from app.core.addresses import sender_address, valid_address
from app.meetings.models import Meeting


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
