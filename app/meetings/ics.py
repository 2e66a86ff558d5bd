"""Calendar files (RFC 5545) people import or subscribe to in Outlook.

Every text value is cleaned first (app/core/cleantext.py): single-line properties (the
title, the place, the calendar's name) lose line breaks and control characters, which
would otherwise break the file for every event in a subscribed feed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from dateutil.rrule import rrulestr
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
    vText,
)

from app.core.cleantext import clean_text, one_line, plain_text
from app.core.dates import LONDON, to_london, utcnow
from app.meetings.models import Meeting

PRODID = "-//FLS Tracker//Meetings//EN"
# (name, address) of the organiser, then (name, address, ROLE) of every attendee with an email.
People = tuple[tuple[str, str], list[tuple[str, str, str]]]


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


def _address(name: str, address: str, **params: str) -> vCalAddress:
    value = vCalAddress(f"mailto:{address}")
    # RFC 5545 forbids control characters in a parameter value: the same plain text as
    # an email header (no encoded words, line breaks or control characters).
    value.params["CN"] = vText(plain_text(name))
    value.params.update(params)
    return value


def _add_people(event: Event, people: People) -> None:
    """ORGANIZER and ATTENDEE lines, so calendars show who is invited and who to reply to."""
    organiser, attendees = people
    event.add("organizer", _address(*organiser))
    for name, address, role in attendees:
        event.add(
            "attendee",
            _address(
                name, address, CUTYPE="INDIVIDUAL", ROLE=role, PARTSTAT="NEEDS-ACTION", RSVP="FALSE"
            ),
        )


def _agenda_lines(meeting: Meeting) -> list[str]:
    if not meeting.agenda:
        return []
    return ["", "Agenda:"] + [
        f"{number}. {item.title}" for number, item in enumerate(meeting.agenda, start=1)
    ]


def _event(meeting: Meeting, site_name: str, people: People | None = None) -> Event:
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
    lines += _agenda_lines(meeting)
    event.add("description", clean_text("\n".join(lines)))
    if people is not None:
        _add_people(event, people)
    return event


def _itip(method: str, event: Event) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(london_vtimezone())
    cal.add_component(event)
    return cal.to_ical()


def _in_series(meeting: Meeting) -> bool:
    """Booked as part of a series (series booked before series ids have none)."""
    return bool(meeting.series_uid and meeting.recurrence_id and meeting.series_rule)


def _as_occurrence(event: Event, meeting: Meeting) -> None:
    """This meeting as its series' occurrence: the series' UID and the start the rule gave
    it (RECURRENCE-ID), whatever time it has been moved to."""
    event["uid"] = vText(meeting.series_uid)
    event.add("recurrence-id", to_london(meeting.recurrence_id))


def _series_in_feed(
    meetings: list[Meeting], site_name: str, people: Callable[[Meeting], People] | None
) -> list[Event]:
    """A series in a feed as invitations gave it: one repeating event with the series' UID,
    then each meeting as its occurrence, so a calendar holding the invitation shows each
    meeting once. The rule runs from the earliest meeting still booked to the latest
    (UNTIL), and dates whose meeting was deleted are excluded (EXDATE)."""
    meetings = sorted(meetings, key=lambda m: m.recurrence_id)
    first, last = meetings[0], meetings[-1]
    start = to_london(first.recurrence_id)
    master = _event(first, site_name, people(first) if people else None)
    master["uid"] = vText(first.series_uid)
    # The series stands even when its first meeting is called off: calendars read a
    # cancelled master as the whole series cancelled. That meeting's own occurrence says so.
    master["status"] = vText("CONFIRMED")
    del master["dtstart"], master["dtend"]
    master.add("dtstart", start)
    master.add("dtend", start + (first.ends_at - first.starts_at))
    rule = vRecur.from_ical(first.series_rule)
    rule.pop("COUNT", None)
    rule["UNTIL"] = [last.recurrence_id.replace(tzinfo=UTC)]
    master.add("rrule", rule)
    booked = {m.recurrence_id.replace(tzinfo=UTC) for m in meetings}
    ruled = rrulestr(rule.to_ical().decode(), dtstart=start)
    deleted = [day for day in ruled if day.astimezone(UTC) not in booked]
    if deleted:
        master.add("exdate", deleted)
    occurrences = []
    for meeting in meetings:
        event = _event(meeting, site_name, people(meeting) if people else None)
        _as_occurrence(event, meeting)
        occurrences.append(event)
    return [master, *occurrences]


def invitation(meeting: Meeting, site_name: str, method: str, people: People) -> bytes:
    """An iTIP message (RFC 5546): METHOD:REQUEST to book or move, CANCEL to call off. A
    meeting of a series is that occurrence of the series' event (its UID and RECURRENCE-ID,
    the start the rule gave it), so calendars change that one date only."""
    event = _event(meeting, site_name, people)
    if _in_series(meeting):
        _as_occurrence(event, meeting)
    if method == "CANCEL":
        event["status"] = vText("CANCELLED")
    return _itip(method, event)


def series_invitation(meetings: list[Meeting], site_name: str, people: People) -> bytes:
    """One invitation for a whole series: the first meeting with the series' rule (RRULE),
    so each person gets one message and one calendar entry that repeats."""
    first = meetings[0]
    event = _event(first, site_name, people)
    event["uid"] = vText(first.series_uid or meeting_uid(first))
    event.add("rrule", vRecur.from_ical(first.series_rule))
    return _itip("REQUEST", event)


def calendar_for(
    meetings: Iterable[Meeting],
    site_name: str,
    name: str,
    people: Callable[[Meeting], People] | None = None,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property is written as given unless typed: vText escapes commas and semicolons.
    cal.add("x-wr-calname", vText(one_line(name)))
    cal.add("x-wr-timezone", LONDON.key)
    cal.add_component(london_vtimezone())
    series: dict[str, list[Meeting]] = {}
    for meeting in meetings:
        if _in_series(meeting):
            series.setdefault(meeting.series_uid, []).append(meeting)
        else:
            cal.add_component(_event(meeting, site_name, people(meeting) if people else None))
    for booked in series.values():
        for event in _series_in_feed(booked, site_name, people):
            cal.add_component(event)
    return cal.to_ical()
