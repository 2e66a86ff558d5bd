"""A monthly series is one invitation per person with a recurrence rule; moving or
cancelling one meeting updates that occurrence (RECURRENCE-ID), saying the old and new
time. Read back with icalendar and expanded with a second reader (recurring-ical-events)
across the spring clock change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import select

from app.core.dates import LONDON, today
from app.extensions import db
from app.meetings import service
from app.meetings.models import Meeting
from app.meetings.service import MeetingDetails
from tests.conftest import csrf_token
from tests.fixtures.meetings import create_group, create_person
from tests.fixtures.notifications import calendar_part, outbox, parsed


def _second_tuesday_of_next_january() -> date:
    first = date(today().year + 1, 1, 1)
    first += timedelta(days=(1 - first.weekday()) % 7)  # the first Tuesday
    return first + timedelta(days=7)


def _calendar(message) -> Calendar:  # noqa: ANN001
    return Calendar.from_ical(calendar_part(parsed(message)))


def _book_series(login, site_world):  # noqa: ANN001, ANN202
    site = site_world["site"]
    ann = create_person(site, "Ann Chair", email="ann@example.nhs.uk")
    bob = create_person(site, "Bob Member", email="bob@example.nhs.uk")
    group = create_group(site, "Steering group", [ann, bob])
    db.session.commit()
    client = login(site_world["manager"])
    url = f"/sites/{site.id}/meetings/series"
    first = _second_tuesday_of_next_january()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url), "kind": "steering_group",
            "title": "Steering group", "day": f"{first:%d/%m/%Y}", "start_time": "14:00",
            "end_time": "15:00", "group_id": str(group.id), "chair_id": str(ann.id),
            "frequency": "monthly", "count": "6",
        },
    )  # fmt: skip
    assert response.status_code == 302
    meetings = list(db.session.scalars(select(Meeting).order_by(Meeting.starts_at)))
    return site, first, meetings


def test_a_series_is_one_invitation_per_person_that_repeats(login, site_world) -> None:
    site, first, meetings = _book_series(login, site_world)
    invitations = outbox(kind="invitation")
    assert sorted(m.to_address for m in invitations) == ["ann@example.nhs.uk", "bob@example.nhs.uk"]
    cal = _calendar(invitations[0])
    (event,) = cal.walk("VEVENT")
    assert event["rrule"].to_ical().decode() == "FREQ=MONTHLY;COUNT=6;BYDAY=2TU"
    assert str(event["organizer"]) == f"mailto:{site_world['manager'].email}"
    attendees = {str(a): a.params["ROLE"] for a in event["attendee"]}
    assert attendees == {
        "mailto:ann@example.nhs.uk": "CHAIR",
        "mailto:bob@example.nhs.uk": "REQ-PARTICIPANT",
    }
    body = parsed(invitations[0]).get_body().get_content()
    assert f"/sites/{site.id}/meetings/{meetings[0].id}" in body  # the meeting's page

    # The second reader expands the rule to the six dates, 14:00 UK time on either side
    # of the clock change at the end of March.
    expanded = recurring_ical_events.of(cal).between(first, first + timedelta(days=200))
    starts = [e["DTSTART"].dt.astimezone(LONDON) for e in expanded]
    assert len(starts) == 6 and all(s.time() == time(14) for s in starts)
    assert {s.utcoffset() for s in starts} == {timedelta(0), timedelta(hours=1)}
    assert [s.date() for s in starts] == [
        datetime.combine(m.starts_at.date(), time()).date() for m in meetings
    ]


def test_moving_and_cancelling_one_meeting_update_that_occurrence(login, site_world) -> None:
    site, first, meetings = _book_series(login, site_world)
    master = _calendar(outbox(kind="invitation", to_address="bob@example.nhs.uk")[0])
    april, june = meetings[3], meetings[5]
    new_day = april.recurrence_id.date() + timedelta(days=1)
    service.update_meeting(
        april,
        MeetingDetails(
            kind="steering_group", title="Steering group", day=new_day, start=time(16),
            end=time(17), group_id=april.group_id, chair_id=april.chair_id,
        ),
    )  # fmt: skip
    db.session.commit()
    moved = [
        m
        for m in outbox(kind="invitation", to_address="bob@example.nhs.uk")
        if "has changed" in parsed(m).get_body().get_content()
    ]
    (update,) = moved
    body = parsed(update).get_body().get_content()
    assert "Moved from" in body and "14:00 to" in body and "16:00 (UK time)" in body
    assert f"/sites/{site.id}/meetings/{april.id}" in body
    (override,) = _calendar(update).walk("VEVENT")
    assert str(override["uid"]) == str(master.walk("VEVENT")[0]["uid"])
    assert override["recurrence-id"].dt.astimezone(LONDON).replace(tzinfo=None) == datetime.combine(
        april.recurrence_id.date(), time(14)
    )

    service.cancel_meeting(june)
    db.session.commit()
    (cancel,) = outbox(kind="cancellation", to_address="bob@example.nhs.uk")
    cancelled = _calendar(cancel)
    assert str(cancelled["method"]) == "CANCEL"
    (gone,) = cancelled.walk("VEVENT")
    assert gone["recurrence-id"].dt.astimezone(LONDON).date() == june.recurrence_id.date()

    # The master with the moved occurrence, as a calendar holds them, read by the second
    # reader: April's meeting is on its new day and time, the others where the rule put them.
    master.add_component(override)
    expanded = recurring_ical_events.of(master).between(first, first + timedelta(days=200))
    starts = sorted(e["DTSTART"].dt.astimezone(LONDON).replace(tzinfo=None) for e in expanded)
    assert datetime.combine(new_day, time(16)) in starts
    assert datetime.combine(april.recurrence_id.date(), time(14)) not in starts
    assert len(starts) == 6


def test_the_feed_gives_a_series_as_the_invitation_did(login, site_world) -> None:
    """One repeating event with the invitation's UID, each meeting as its occurrence: a
    calendar holding the invitation shows every meeting once, at its own time, a moved one
    where it went, a cancelled one cancelled and a deleted one not at all."""
    site, first, meetings = _book_series(login, site_world)
    invited = _calendar(outbox(kind="invitation", to_address="bob@example.nhs.uk")[0])
    series_uid = str(invited.walk("VEVENT")[0]["uid"])
    april, june, february = meetings[3], meetings[5], meetings[1]
    service.update_meeting(
        april,
        MeetingDetails(
            kind="steering_group", title="Steering group", day=april.recurrence_id.date()
            + timedelta(days=1), start=time(16), end=time(17), group_id=april.group_id,
            chair_id=april.chair_id,
        ),
    )  # fmt: skip
    service.cancel_meeting(june)
    db.session.delete(february)
    db.session.commit()

    client = login(site_world["manager"])
    feed = Calendar.from_ical(client.get(f"/sites/{site.id}/meetings.ics").data)
    events = feed.walk("VEVENT")
    assert {str(e["uid"]) for e in events} == {series_uid}
    assert len(events) == 1 + 5  # the repeating event, then each meeting still booked

    expanded = recurring_ical_events.of(feed).between(first, first + timedelta(days=200))
    starts = sorted(e["DTSTART"].dt.astimezone(LONDON).replace(tzinfo=None) for e in expanded)
    booked = [m for m in meetings if m is not february]
    assert starts == sorted(
        m.starts_at.replace(tzinfo=UTC).astimezone(LONDON).replace(tzinfo=None) for m in booked
    )
    assert datetime.combine(february.recurrence_id.date(), time(14)) not in starts
    cancelled = [e for e in expanded if str(e.get("STATUS")) == "CANCELLED"]
    assert [e["DTSTART"].dt.date() for e in cancelled] == [june.recurrence_id.date()]


def test_a_series_whose_first_meeting_is_cancelled_stays_in_the_feed(login, site_world) -> None:
    """Calendars read a cancelled repeating event as the whole series cancelled: the first
    meeting's cancellation goes out as its own occurrence, the rest stay booked."""
    site, first, meetings = _book_series(login, site_world)
    service.cancel_meeting(meetings[0])
    db.session.commit()
    client = login(site_world["manager"])
    feed = Calendar.from_ical(client.get(f"/sites/{site.id}/meetings.ics").data)
    (master,) = [e for e in feed.walk("VEVENT") if "RRULE" in e]
    assert str(master["status"]) == "CONFIRMED"
    expanded = recurring_ical_events.of(feed).between(first, first + timedelta(days=200))
    statuses = sorted((e["DTSTART"].dt.date(), str(e["STATUS"])) for e in expanded)
    assert statuses[0] == (meetings[0].recurrence_id.date(), "CANCELLED")
    assert [status for _day, status in statuses[1:]] == ["CONFIRMED"] * 5
