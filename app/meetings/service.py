"""Rules for meetings, agendas, attendance, minutes and actions: plain values in, no request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import uuid4

from sqlalchemy import select

from app.core.dates import london_to_utc, to_london, uk_datetime, utcnow
from app.core.errors import ServiceError
from app.extensions import db
from app.meetings import signals
from app.meetings.models import (
    ATTENDANCE,
    MEETING_KINDS,
    STANDING_ITEMS,
    AgendaItem,
    Invitee,
    Meeting,
)
from app.meetings.series import check_series, series_days, series_rule
from app.people.models import Group, GroupMember, Person
from app.plan.models import Task
from app.sites.models import Site

# Fields whose change people's calendars must hear about (RFC 5545 SEQUENCE).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_link", "cancelled")


@dataclass
class MeetingDetails:
    kind: str
    title: str
    day: date
    start: time
    end: time
    location: str = ""
    online_link: str = ""
    chair_id: int | None = None
    minute_taker_id: int | None = None
    group_id: int | None = None


@dataclass
class ItemDetails:
    title: str
    presenter_id: int | None = None
    minutes_allotted: int | None = None
    task_id: int | None = None
    gateway_phase: int | None = None
    standing_key: str | None = None


def person_in_site(site_id: int, person_id: int | None, field_name: str, what: str) -> None:
    if person_id is None:
        return
    found = db.session.scalar(
        select(Person.id).where(
            Person.id == person_id, Person.site_id == site_id, Person.erased.is_(False)
        )
    )
    if found is None:
        raise ServiceError(f"Choose the {what} from this site's people.", field_name)


def _check_meeting(site_id: int, details: MeetingDetails) -> tuple[datetime, datetime]:
    if details.kind not in MEETING_KINDS:
        raise ServiceError("Choose the type of meeting.", "kind")
    if not details.title.strip():
        raise ServiceError("Enter a title for the meeting.", "title")
    if details.end <= details.start:
        raise ServiceError("The meeting must end after it starts.", "end_time")
    if details.online_link and not details.online_link.startswith(("https://", "http://")):
        raise ServiceError(
            "Enter the online link as a full web address (https://…).", "online_link"
        )
    person_in_site(site_id, details.chair_id, "chair_id", "chair")
    person_in_site(site_id, details.minute_taker_id, "minute_taker_id", "minute-taker")
    if details.group_id is not None:
        found = db.session.scalar(
            select(Group.id).where(Group.id == details.group_id, Group.site_id == site_id)
        )
        if found is None:
            raise ServiceError("Choose a group from this site.", "group_id")
    starts = london_to_utc(datetime.combine(details.day, details.start))
    ends = london_to_utc(datetime.combine(details.day, details.end))
    return starts, ends


def _apply(meeting: Meeting, details: MeetingDetails, starts: datetime, ends: datetime) -> None:
    meeting.kind = details.kind
    meeting.title = details.title.strip()
    meeting.starts_at, meeting.ends_at = starts, ends
    meeting.location = details.location.strip()
    meeting.online_link = details.online_link.strip()
    meeting.chair_id = details.chair_id
    meeting.minute_taker_id = details.minute_taker_id
    meeting.group_id = details.group_id


def _group_member_ids(site_id: int, group_id: int | None) -> list[int]:
    if group_id is None:
        return []
    return list(
        db.session.scalars(
            select(GroupMember.person_id)
            .join(Person, Person.id == GroupMember.person_id)
            .where(
                GroupMember.group_id == group_id,
                GroupMember.site_id == site_id,
                Person.erased.is_(False),
            )
            .distinct()
        )
    )


def _check_not_past(starts: datetime, past_ok: bool, what: str = "This meeting") -> None:
    """A meeting booked in the past is usually a typing slip: ask before booking it."""
    if starts < utcnow() and not past_ok:
        raise ServiceError(
            f"{what} starts in the past ({uk_datetime(starts)}). Check the date, or tick the "
            "box to record a meeting that has already happened.",
            "in_the_past",
        )


def create_meeting(
    site: Site, details: MeetingDetails, past_ok: bool = False, booked_by_id: int | None = None
) -> Meeting:
    """A meeting whose invitees start as the invited group's members; one in the past only
    with `past_ok` (the person confirmed it). Whoever books it organises it in calendars."""
    starts, ends = _check_meeting(site.id, details)
    _check_not_past(starts, past_ok)
    meeting = _create(site.id, details, starts, ends, _group_member_ids(site.id, details.group_id))
    meeting.booked_by_id = booked_by_id
    return meeting


def _create(
    site_id: int, details: MeetingDetails, starts: datetime, ends: datetime, people: list[int]
) -> Meeting:
    meeting = Meeting(site_id=site_id)
    _apply(meeting, details, starts, ends)
    meeting.invitees = [Invitee(site_id=site_id, person_id=pid) for pid in people]
    db.session.add(meeting)
    db.session.flush()
    signals.meeting_booked.send(meeting)
    return meeting


def update_meeting(meeting: Meeting, details: MeetingDetails) -> Meeting:
    starts, ends = _check_meeting(meeting.site_id, details)
    before = {name: getattr(meeting, name) for name in CALENDAR_FIELDS}
    old_group = meeting.group_id
    _apply(meeting, details, starts, ends)
    moved = any(getattr(meeting, name) != before[name] for name in CALENDAR_FIELDS)
    if moved:
        meeting.ics_sequence += 1
    joined = []
    if meeting.group_id != old_group:  # a newly invited group's members join the invitees
        have = {inv.person_id for inv in meeting.invitees}
        new_members = _group_member_ids(meeting.site_id, meeting.group_id)
        joined = [pid for pid in new_members if pid not in have]
        for pid in joined:
            meeting.invitees.append(Invitee(site_id=meeting.site_id, person_id=pid))
    db.session.flush()
    if moved:
        signals.meeting_moved.send(meeting, moved_from=before["starts_at"])
    for pid in joined:
        signals.invitee_added.send(meeting, person_id=pid)
    return meeting


def schedule_series(
    site: Site,
    details: MeetingDetails,
    frequency: str,
    count: int | None,
    past_ok: bool = False,
    booked_by_id: int | None = None,
) -> list[Meeting]:
    """The meetings of a series, sharing one calendar UID and rule: each person gets one
    invitation for the whole series."""
    count = check_series(frequency, count)
    first, _ends = _check_meeting(site.id, details)  # everything checked before anything is saved
    _check_not_past(first, past_ok, "The first meeting")
    people = _group_member_ids(site.id, details.group_id)
    uid = f"fls-series-{uuid4().hex}-site-{site.id}@fls-tracker"
    rule = series_rule(details.day, frequency, count)
    meetings = []
    for day in series_days(details.day, frequency, count):
        one = MeetingDetails(**{**details.__dict__, "day": day})
        starts = london_to_utc(datetime.combine(day, details.start))
        ends = london_to_utc(datetime.combine(day, details.end))
        meeting = Meeting(
            site_id=site.id,
            booked_by_id=booked_by_id,
            series_uid=uid,
            series_rule=rule,
            recurrence_id=starts,
        )
        _apply(meeting, one, starts, ends)
        meeting.invitees = [Invitee(site_id=site.id, person_id=pid) for pid in people]
        meetings.append(meeting)
    db.session.add_all(meetings)
    db.session.flush()
    signals.series_booked.send(meetings[0], meetings=meetings)  # one invitation for them all
    return meetings


def cancel_meeting(meeting: Meeting) -> None:
    if meeting.cancelled:
        raise ServiceError("This meeting is already cancelled.")
    meeting.cancelled = True
    meeting.ics_sequence += 1
    db.session.flush()
    signals.meeting_cancelled.send(meeting)


def add_invitee(meeting: Meeting, person_id: int | None) -> Invitee:
    person_in_site(meeting.site_id, person_id, "person_id", "person to invite")
    if person_id is None:
        raise ServiceError("Choose someone to invite.", "person_id")
    if any(inv.person_id == person_id for inv in meeting.invitees):
        raise ServiceError("That person is already invited.", "person_id")
    invitee = Invitee(site_id=meeting.site_id, person_id=person_id)
    meeting.invitees.append(invitee)
    db.session.flush()
    signals.invitee_added.send(meeting, person_id=person_id)
    return invitee


def remove_invitee(meeting: Meeting, invitee_id: int) -> None:
    invitee = next((inv for inv in meeting.invitees if inv.id == invitee_id), None)
    if invitee is None:
        raise ServiceError("That person is not on the invitation list.")
    meeting.invitees.remove(invitee)
    db.session.flush()
    signals.invitee_removed.send(meeting, person_id=invitee.person_id)


def record_attendance(meeting: Meeting, marks: dict[int, str | None]) -> None:
    """`marks` maps invitee id to present / apologies / absent (None = not recorded)."""
    for invitee in meeting.invitees:
        if invitee.id not in marks:
            continue
        mark = marks[invitee.id] or None
        if mark is not None and mark not in ATTENDANCE:
            raise ServiceError("Choose present, apologies or absent for each person.")
        invitee.attendance = mark
    db.session.flush()


def _check_item(site_id: int, details: ItemDetails) -> None:
    if not details.title.strip():
        raise ServiceError("Enter a title for the agenda item.", "title")
    if details.minutes_allotted is not None and not 1 <= details.minutes_allotted <= 480:
        raise ServiceError("Minutes allotted must be between 1 and 480.", "minutes_allotted")
    if details.gateway_phase is not None and not 1 <= details.gateway_phase <= 6:
        raise ServiceError("A gateway is a phase number from 1 to 6.", "gateway_phase")
    person_in_site(site_id, details.presenter_id, "presenter_id", "presenter")
    if details.task_id is not None:
        found = db.session.scalar(
            select(Task.id).where(Task.id == details.task_id, Task.site_id == site_id)
        )
        if found is None:
            raise ServiceError("Choose a task from this site's plan.", "task_id")


def add_agenda_item(meeting: Meeting, details: ItemDetails) -> AgendaItem:
    _check_item(meeting.site_id, details)
    position = max((item.position for item in meeting.agenda), default=0) + 1
    item = AgendaItem(
        site_id=meeting.site_id,
        position=position,
        title=details.title.strip(),
        presenter_id=details.presenter_id,
        minutes_allotted=details.minutes_allotted,
        task_id=details.task_id,
        gateway_phase=details.gateway_phase,
        standing_key=details.standing_key,
    )
    meeting.agenda.append(item)
    db.session.flush()
    return item


def add_standing_items(meeting: Meeting) -> list[AgendaItem]:
    """The steering-group template; items already on the agenda are not added twice."""
    have = {item.standing_key for item in meeting.agenda}
    added = []
    for key, title, minutes in STANDING_ITEMS:
        if key not in have:
            added.append(
                add_agenda_item(
                    meeting, ItemDetails(title=title, minutes_allotted=minutes, standing_key=key)
                )
            )
    if not added:
        raise ServiceError("The standing items are already on this agenda.")
    return added


def move_item(meeting: Meeting, item_id: int, direction: str) -> None:
    items = list(meeting.agenda)
    index = next((i for i, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        raise ServiceError("That item is not on this agenda.")
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        item.position = position
    db.session.flush()


def remove_item(meeting: Meeting, item: AgendaItem) -> None:
    meeting.agenda.remove(item)
    db.session.delete(item)
    db.session.flush()


def save_minutes(item: AgendaItem, notes: str, decisions: str) -> None:
    item.notes = notes.strip()
    item.decisions = decisions.strip()
    db.session.flush()


def issue_minutes(meeting: Meeting, now: datetime | None = None) -> None:
    now = now or utcnow()
    if meeting.cancelled:
        raise ServiceError("This meeting was cancelled, so it has no minutes to issue.")
    if meeting.starts_at > now:
        raise ServiceError(
            "This meeting has not happened yet. Issue its minutes after it has taken place."
        )
    if meeting.minutes_issued_at is not None:
        raise ServiceError("The minutes of this meeting have already been issued.")
    meeting.minutes_issued_at = now
    db.session.flush()
    signals.minutes_issued.send(meeting)


def minutes_delay_days(meeting: Meeting) -> int | None:
    """Days from the meeting to issued minutes, by UK calendar date (0 = the same day)."""
    if meeting.minutes_issued_at is None:
        return None
    return (to_london(meeting.minutes_issued_at).date() - to_london(meeting.starts_at).date()).days
