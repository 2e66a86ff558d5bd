"""Meeting rules without a request: series dates, validation, minutes timing, summaries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import BytesIO

import docx
import icalendar
import pytest

from app.core.dates import utcnow
from app.core.errors import ServiceError
from app.core.registry import Panel, registry
from app.extensions import db
from app.meetings import actions, checks, export, ics, queries, series, service
from app.meetings.models import Meeting
from app.sites.overview import panel_context
from tests.fixtures.meetings import create_meeting, create_person


def details(**extra) -> service.MeetingDetails:
    base = dict(kind="steering_group", title="Steering group", day=date(2026, 3, 10),
                start=time(14, 0), end=time(15, 30))  # fmt: skip
    return service.MeetingDetails(**{**base, **extra})


def test_monthly_series_keeps_weekday_and_week() -> None:
    days = series.series_days(date(2026, 3, 10), "monthly", 12)  # 2nd Tuesday
    assert len(days) == 12
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)
    assert days[-1] == date(2027, 2, 9)


def test_last_weekday_series_stays_last() -> None:
    days = series.series_days(date(2026, 3, 31), "monthly", 3)  # last Tuesday of March
    assert days == [date(2026, 3, 31), date(2026, 4, 28), date(2026, 5, 26)]


def test_times_are_london_stored_as_utc(make_site) -> None:
    site = make_site()
    summer = service.create_meeting(site, details(day=date(2026, 7, 1)), past_ok=True)
    winter = service.create_meeting(site, details(day=date(2026, 12, 1)), past_ok=True)
    assert summer.starts_at == datetime(2026, 7, 1, 13, 0)  # BST
    assert winter.starts_at == datetime(2026, 12, 1, 14, 0)  # GMT


def test_series_books_group_members_as_invitees(make_site, meeting_world) -> None:
    site = make_site()
    world = meeting_world(site)
    meetings = service.schedule_series(
        site, details(group_id=world["group"].id), "monthly", 6, past_ok=True
    )
    assert len(meetings) == 6
    assert {len(m.invitees) for m in meetings} == {3}


@pytest.mark.parametrize(
    "change, field",
    [
        (dict(end=time(13, 0)), "end_time"),
        (dict(title="  "), "title"),
        (dict(online_link="teams"), "online_link"),
        (dict(chair_id=987654), "chair_id"),
    ],
)
def test_bad_meetings_are_refused(make_site, change, field) -> None:
    with pytest.raises(ServiceError) as error:
        service.create_meeting(make_site(), details(**change))
    assert error.value.field == field


def test_a_series_of_more_than_24_saves_nothing(make_site) -> None:
    site = make_site()
    with pytest.raises(ServiceError) as error:
        service.schedule_series(site, details(), "monthly", 25)
    assert "at most 24" in error.value.message
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_owner_from_another_site_is_refused(make_site) -> None:
    site, other = make_site(), make_site()
    stranger = create_person(other, "Someone Else")
    with pytest.raises(ServiceError) as error:
        actions.add_action(site.id, actions.ActionDetails("Do it", owner_id=stranger.id))
    assert error.value.field == "owner_id"


def test_minutes_cannot_be_issued_for_a_future_meeting(make_site) -> None:
    meeting = create_meeting(make_site())
    with pytest.raises(ServiceError, match="not happened yet"):
        service.issue_minutes(meeting)
    assert meeting.minutes_issued_at is None


def test_minutes_delay_counts_uk_calendar_days(make_site) -> None:
    meeting = create_meeting(make_site(), datetime(2026, 6, 1, 13, 0))
    service.issue_minutes(meeting, now=datetime(2026, 6, 1, 22, 30))  # 23:30 BST, same day
    assert service.minutes_delay_days(meeting) == 0
    meeting.minutes_issued_at = datetime(2026, 6, 1, 23, 30)  # 00:30 BST the next day
    assert service.minutes_delay_days(meeting) == 1


def test_summaries_for_other_features(make_site, meeting_world) -> None:
    site, empty = make_site(), make_site()
    world = meeting_world(site)
    cancelled = create_meeting(site, utcnow() + timedelta(days=1), cancelled=True)
    db.session.commit()
    assert queries.next_meeting(empty.id) is None
    assert queries.next_meeting(site.id).id == world["future"].id != cancelled.id
    assert [a.id for a in queries.open_actions(site.id)] == [world["action"].id]
    panel = panel_context(_meetings_panel(), site)
    assert panel["overdue"] == 1 and panel["open_actions"] == 1
    assert panel["next_meeting"].id == world["future"].id


def _meetings_panel() -> Panel:
    return next(p for p in registry().panels if p.template.startswith("meetings/"))


def test_reference_group_check(make_site) -> None:
    site = make_site()
    ok, reason, _link = checks.reference_group_minutes_issued(site)
    assert not ok and "No stakeholder reference group" in reason
    meeting = create_meeting(site, utcnow() - timedelta(days=3), kind="reference_group")
    ok, reason, link = checks.reference_group_minutes_issued(site)
    assert not ok and "no issued minutes" in reason and link.endswith(f"/meetings/{meeting.id}")
    service.issue_minutes(meeting)
    ok, reason, link = checks.reference_group_minutes_issued(site)
    assert ok and "minutes were issued" in reason


def test_ics_has_stable_uid_sequence_and_cancellation(make_site) -> None:
    site = make_site()
    meeting = service.create_meeting(
        site, details(day=date(2026, 7, 1), location="Room 1"), past_ok=True
    )
    first = icalendar.Calendar.from_ical(ics.calendar_for([meeting], site.name, "x"))
    service.update_meeting(meeting, details(day=date(2026, 7, 2), location="Room 1"))
    service.cancel_meeting(meeting)
    second = icalendar.Calendar.from_ical(ics.calendar_for([meeting], site.name, "x"))
    before, after = first.events[0], second.events[0]
    assert before["UID"] == after["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 2
    assert str(after["STATUS"]) == "CANCELLED" and str(before["STATUS"]) == "CONFIRMED"
    assert after.start == datetime(2026, 7, 2, 14, 0, tzinfo=after.start.tzinfo)
    assert str(after.start.tzinfo) == "Europe/London"
    assert [tz["TZID"] for tz in second.walk("VTIMEZONE")] == ["Europe/London"]


def test_minutes_docx_content(make_site, meeting_world) -> None:
    site = make_site(name="Docx FLS")
    world = meeting_world(site)
    past = db.session.get(Meeting, world["past"].id)
    world["item"].decisions = "Adopt the 5IQ model"
    past.invitees[0].attendance = "present"
    content = export.minutes_docx(site.name, past, queries.meeting_actions(past), [])
    document = docx.Document(BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Minutes: Past steering group" in text
    assert "Adopt the 5IQ model" in text
    assert document.sections[0].header.paragraphs[0].text == "Docx FLS"
    assert "PAGE" in document.sections[0].footer._element.xml
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {"Attendance", "Decisions", "Actions"} <= set(headings)
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["Ann Chair", "Lead", "Present"] in cells
    # Due after the meeting (though late today): minutes judge it at the meeting's date.
    assert any(row[0] == "Draft the PID" and "overdue" not in row[3] for row in cells)
    assert document.styles["Normal"].font.name == "Arial"
