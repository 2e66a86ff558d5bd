"""agenda.docx and minutes.docx, in the house style (app/core/word.py)."""

from __future__ import annotations

from datetime import date

from app.core import word
from app.core.dates import to_london, uk_date, uk_datetime, uk_time
from app.meetings.models import ACTION_REVIEW, ACTION_STATUSES, ATTENDANCE, Action, Meeting
from app.meetings.service import minutes_delay_days


def _when(meeting: Meeting) -> str:
    return f"{uk_datetime(meeting.starts_at)} to {uk_time(meeting.ends_at)} (UK time)"


def _details(doc, meeting: Meeting) -> None:  # noqa: ANN001 - a docx Document
    rows = [("When", _when(meeting))]
    if meeting.location:
        rows.append(("Where", meeting.location))
    if meeting.online_link:
        rows.append(("Join online", meeting.online_link))
    if meeting.group:
        rows.append(("Group", meeting.group.name))
    rows.append(("Chair", meeting.chair.name if meeting.chair else "Not chosen"))
    rows.append(("Minutes", meeting.minute_taker.name if meeting.minute_taker else "Not chosen"))
    if meeting.cancelled:
        rows.append(("Status", "This meeting is cancelled"))
    word.details(doc, rows)


def meeting_day(meeting: Meeting) -> date:
    """The day an agenda or minutes judge actions against: the meeting's own, so minutes
    printed weeks later do not call an action overdue that was not late at the meeting."""
    return to_london(meeting.starts_at).date()


def _action_rows(actions: list[Action], on: date) -> list[list[str]]:
    rows = []
    for action in actions:
        status = ACTION_STATUSES.get(action.status, action.status)
        if action.is_overdue(on):
            status += f" (overdue on {uk_date(on)})"
        rows.append(
            [
                action.description,
                action.owner.name if action.owner else "No owner",
                uk_date(action.due_date, "No date"),
                status,
            ]
        )
    return rows


def _item_heading(number: int, item) -> str:  # noqa: ANN001 - an AgendaItem
    text = f"{number}. {item.title}"
    if item.minutes_allotted:
        text += f" ({item.minutes_allotted} min)"
    return text


def _item_links(item) -> str:  # noqa: ANN001
    parts = []
    if item.presenter:
        parts.append(f"Presenter: {item.presenter.name}")
    if item.task:
        parts.append(f"Plan task: {item.task.title}")
    if item.gateway_phase:
        parts.append(f"Gateway: phase {item.gateway_phase}")
    return ". ".join(parts)


def _actions_table(doc, actions: list[Action], caption: str, on: date) -> None:  # noqa: ANN001
    word.table(
        doc, ["Action", "Owner", "Due", "Status"], _action_rows(actions, on), caption=caption
    )


def agenda_docx(site_name: str, meeting: Meeting, carried: list[Action]) -> bytes:
    doc = word.new_document(site_name, f"Agenda: {meeting.title}")
    _details(doc, meeting)
    word.heading(doc, "Agenda")
    if not meeting.agenda:
        word.missing(doc, "No items have been added to this agenda yet.")
    for number, item in enumerate(meeting.agenda, start=1):
        word.heading(doc, _item_heading(number, item), level=2)
        if links := _item_links(item):
            word.para(doc, links)
        if item.standing_key == ACTION_REVIEW:
            if carried:
                _actions_table(
                    doc, carried, "Open actions from earlier meetings", meeting_day(meeting)
                )
            else:
                word.para(doc, "No open actions from earlier meetings.")
    return word.to_bytes(doc)


def minutes_docx(
    site_name: str, meeting: Meeting, actions: list[Action], carried: list[Action]
) -> bytes:
    doc = word.new_document(site_name, f"Minutes: {meeting.title}")
    _details(doc, meeting)
    if meeting.minutes_issued_at:
        delay = minutes_delay_days(meeting)
        when = "the same day" if delay == 0 else f"{delay} days after the meeting"
        word.para(doc, f"Minutes issued {uk_date(meeting.minutes_issued_at)} ({when}).")
    else:
        word.para(doc, "Draft: these minutes have not been issued yet.")

    word.heading(doc, "Attendance")
    rows = [
        [
            inv.person.name,
            inv.person.job_title or "",
            ATTENDANCE.get(inv.attendance or "", "Not recorded"),
        ]
        for inv in sorted(meeting.invitees, key=lambda inv: inv.person.name)
    ]
    if rows:
        word.table(doc, ["Name", "Role", "Attendance"], rows, caption="Who was invited and came")
    else:
        word.missing(doc, "Nobody was invited through the tracker.")
    present = sum(1 for inv in meeting.invitees if inv.attendance == "present")
    if meeting.group and meeting.group.quorum:
        quorate = "quorate" if present >= meeting.group.quorum else "not quorate"
        word.para(doc, f"{present} present; the quorum is {meeting.group.quorum}: {quorate}.")

    word.heading(doc, "Discussion and decisions")
    decisions: list[str] = []
    for number, item in enumerate(meeting.agenda, start=1):
        word.heading(doc, _item_heading(number, item), level=2)
        if links := _item_links(item):
            word.para(doc, links)
        if item.standing_key == ACTION_REVIEW and carried:
            word.para(doc, "Open actions from earlier meetings reviewed:")
            _actions_table(doc, carried, "Open actions from earlier meetings", meeting_day(meeting))
        word.para(doc, item.notes or "No notes recorded.")
        item_decisions = [line.strip() for line in (item.decisions or "").splitlines()]
        item_decisions = [line for line in item_decisions if line]
        word.bullet_list(doc, item_decisions)
        decisions += item_decisions
    if decisions:
        word.heading(doc, "Decisions")
        word.bullet_list(doc, decisions, numbered=True)

    word.heading(doc, "Actions")
    if actions:
        _actions_table(doc, actions, "Actions raised at this meeting", meeting_day(meeting))
    else:
        word.missing(doc, "No actions were raised at this meeting.")
    return word.to_bytes(doc)
