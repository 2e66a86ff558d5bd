"""The steering group's agreement to a recovery plan. A plan raised from the delivery page
counts as agreed only when recorded as agreed at a steering-group meeting of its site that
has been held; the agreement goes into that meeting's minutes as an agenda item with the
decision, and onto the RAID entry (who recorded it and when; the change is in history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, select

from app.core.dates import uk_date
from app.core.errors import ServiceError
from app.delivery.recovery import STARTER_PREFIX
from app.extensions import db
from app.meetings import service as meetings_service
from app.meetings.models import Meeting
from app.meetings.queries import was_held
from app.risks.models import RaidEntry

if TYPE_CHECKING:
    from app.sites.models import Site

STEERING_GROUP = "steering_group"


def agreeing_meeting(now: Any) -> ColumnElement[bool]:
    """SQL: a meeting that can have agreed a recovery plan: a steering-group meeting held by
    `now` (a moment or a bound parameter). The one rule the form, the page and the criterion
    read."""
    return and_(Meeting.kind == STEERING_GROUP, was_held(now))


def is_recovery_plan(entry: RaidEntry) -> bool:
    return (entry.starter_key or "").startswith(STARTER_PREFIX)


def agreement_meetings(site_id: int, now: datetime) -> list[tuple[int, str]]:
    """The site's held steering-group meetings, newest first: where a plan may be agreed."""
    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(Meeting.site_id == site_id, agreeing_meeting(now))
        .order_by(Meeting.starts_at.desc())
    )
    return [(row.id, f"{row.title}, {uk_date(row.starts_at)}") for row in rows]


def _why_not(meeting: Meeting) -> str:
    if meeting.kind != STEERING_GROUP:
        return (
            f"{meeting.title} is a {meeting.kind_name.lower()} meeting: only the steering "
            "group agrees a recovery plan. Choose one of its meetings."
        )
    if meeting.cancelled:
        return f"{meeting.title} was cancelled. Choose a steering group meeting that was held."
    return f"{meeting.title} has not been held yet. Record the agreement once it has met."


def decision_words(entry: RaidEntry) -> str:
    """The line the meeting's minutes carry under Decisions."""
    words = f"Agreed the recovery plan in the RAID log (issue #{entry.id})"
    return f"{words}: {entry.action}" if entry.action else f"{words}."


def _withdraw_minute(entry: RaidEntry) -> None:
    """An agreement recorded against the wrong meeting is moved: the item this feature wrote
    into that meeting's minutes goes too, unless someone has changed it since (their words
    stay, and history shows both)."""
    if entry.agreed_meeting_id is None:
        return
    old = db.session.get(Meeting, entry.agreed_meeting_id)
    if old is None:
        return
    for item in _minutes_stating(old, entry):
        meetings_service.remove_item(old, item)


def _minutes_stating(meeting: Meeting, entry: RaidEntry) -> list:
    """The meeting's agenda items that state the plan's agreement as this feature wrote
    it, unchanged since."""
    written = (entry.title[:200], "", decision_words(entry))
    return [item for item in meeting.agenda if (item.title, item.notes, item.decisions) == written]


def record_agreement(
    site: Site, entry: RaidEntry, meeting_id: int | None, recorded_by_id: int, now: datetime
) -> Meeting:
    """Record the recovery plan `entry` as agreed at the meeting, in its minutes too."""
    if not is_recovery_plan(entry) or entry.site_id != site.id:
        raise ServiceError("Only a recovery plan raised from the delivery page is agreed here.")
    if meeting_id is None:
        raise ServiceError("Choose the steering group meeting that agreed the plan.", "meeting_id")
    found = db.session.execute(
        select(Meeting, agreeing_meeting(now).label("agrees")).where(
            Meeting.id == meeting_id, Meeting.site_id == site.id
        )
    ).first()
    if found is None:
        raise ServiceError("Choose a steering group meeting of this site.", "meeting_id")
    meeting, agrees = found
    if not agrees:
        raise ServiceError(_why_not(meeting), "meeting_id")
    if entry.agreed_meeting_id == meeting.id and entry.changed_since_agreed_at is None:
        raise ServiceError(f"The agreement at {meeting.title} is already recorded.", "meeting_id")
    if entry.changed_since_agreed_at is None:
        _withdraw_minute(entry)  # recorded against the wrong meeting: moved
    # Otherwise the plan changed since it was agreed, and is agreed again (at the same meeting
    # or a later one): the earlier minute stays, a true record of what was agreed then, and a
    # new one states the plan as it now reads.
    entry.agreed_meeting_id = meeting.id
    entry.agreed_recorded_by_id = recorded_by_id
    entry.agreed_recorded_at = now
    entry.changed_since_agreed_at = None
    if not _minutes_stating(meeting, entry):  # agreed again unchanged: once is enough
        item = meetings_service.add_agenda_item(
            meeting, meetings_service.ItemDetails(title=entry.title[:200])
        )
        meetings_service.save_minutes(item, "", decision_words(entry))
    return meeting


@dataclass(frozen=True)
class Plan:
    """A recovery plan raised from the delivery page, and the meeting that agreed it."""

    entry_id: int
    status: str
    agreed_at: str | None  # "Steering group, 3 Nov 2026": a held steering-group meeting
    changed_on: str | None = None  # "6 Dec 2026": changed since then, to be agreed again


def recovery_plans(site_id: int, now: datetime) -> dict[str, Plan]:
    """measure -> its recovery plan, with the held steering-group meeting that agreed it
    (one statement)."""
    rows = db.session.execute(
        select(RaidEntry.starter_key, RaidEntry.id, RaidEntry.status, Meeting.title,
               Meeting.starts_at, RaidEntry.changed_since_agreed_at)
        .outerjoin(
            Meeting,
            and_(
                Meeting.id == RaidEntry.agreed_meeting_id, Meeting.site_id == site_id,
                agreeing_meeting(now),
            ),
        )
        .where(RaidEntry.site_id == site_id, RaidEntry.starter_key.startswith(STARTER_PREFIX))
    )  # fmt: skip
    return {
        row.starter_key.removeprefix(STARTER_PREFIX): Plan(
            row.id,
            row.status,
            f"{row.title}, {uk_date(row.starts_at)}" if row.title else None,
            uk_date(row.changed_since_agreed_at) if row.changed_since_agreed_at else None,
        )
        for row in rows
    }
