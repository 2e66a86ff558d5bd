"""Calendar files (RFC 5545) people import or subscribe to in Outlook."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

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
    event.add("summary", f"{meeting.title} ({site_name})")
    event.add("sequence", meeting.ics_sequence)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at.replace(tzinfo=UTC))
    where = [part for part in (meeting.location, meeting.online_link) if part]
    if where:
        event.add("location", " / ".join(where))
    if meeting.online_link:
        event.add("url", meeting.online_link)
    lines = [meeting.kind_name]
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    event.add("description", "\n".join(lines))
    return event


def calendar_for(meetings: Iterable[Meeting], site_name: str, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", LONDON.key)
    cal.add_component(london_vtimezone())
    for meeting in meetings:
        cal.add_component(_event(meeting, site_name))
    return cal.to_ical()
