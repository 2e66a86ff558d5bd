"""Calendar files (RFC 5545) people import or subscribe to in Outlook.

Every text value is cleaned first (app/core/cleantext.py): single-line properties (the
title, the place, the calendar's name) lose line breaks and control characters, which
would otherwise break the file for every event in a subscribed feed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from app.core.cleantext import clean_text, one_line
from app.core.dates import LONDON, to_london, utcnow
from app.meetings.models import Meeting

PRODID = "-//FLS Tracker//Meetings//EN"


def london_vtimezone() -> Timezone:
    """Europe/London as the two yearly rules (last Sunday of March and of October), which is
    what Outlook itself writes and, unlike a list of dates, never runs out."""
    zone = Timezone()
    zone.add("tzid", LONDON.key)
    for part, name, start, before, after, month in (
        (TimezoneDaylight(), "BST", datetime(1981, 3, 29, 1), 0, 1, 3),
        (TimezoneStandard(), "GMT", datetime(1996, 10, 27, 2), 1, 0, 10),
    ):
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        zone.add_component(part)
    return zone


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting, so calendars update the event instead of adding one."""
    return f"fls-meeting-{meeting.id}-site-{meeting.site_id}@fls-tracker"


def _event(meeting: Meeting, site_name: str) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", to_london(meeting.starts_at))
    event.add("dtend", to_london(meeting.ends_at))
    event.add("summary", one_line(f"{meeting.title} ({site_name})"))
    event.add("sequence", meeting.ics_sequence)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at.replace(tzinfo=UTC))
    link = one_line(meeting.online_link)
    where = [part for part in (one_line(meeting.location), link) if part]
    if where:
        event.add("location", " / ".join(where))
    if link:
        event.add("url", link)
    lines = [meeting.kind_name]
    if link:
        lines.append(f"Join online: {link}")
    event.add("description", clean_text("\n".join(lines)))
    return event


def calendar_for(meetings: Iterable[Meeting], site_name: str, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property is written as given unless typed: vText escapes commas and semicolons.
    cal.add("x-wr-calname", vText(one_line(name)))
    cal.add("x-wr-timezone", LONDON.key)
    cal.add_component(london_vtimezone())
    for meeting in meetings:
        cal.add_component(_event(meeting, site_name))
    return cal.to_ical()
