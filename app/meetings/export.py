"""agenda.docx and minutes.docx, in the shared house style (app.core.docx)."""

from __future__ import annotations

from io import BytesIO

from app.core.dates import today, uk_date, uk_datetime, uk_time
from app.core.docx import add_table, new_document
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
    for label, value in rows:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)


def _action_rows(actions: list[Action]) -> list[list[str]]:
    on = today()
    rows = []
    for action in actions:
        status = ACTION_STATUSES.get(action.status, action.status)
        if action.is_overdue(on):
            status += " (overdue)"
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


def _save(doc) -> bytes:  # noqa: ANN001
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def agenda_docx(site_name: str, meeting: Meeting, carried: list[Action]) -> bytes:
    doc = new_document(site_name, f"Agenda: {meeting.title}")
    _details(doc, meeting)
    doc.add_heading("Agenda", level=1)
    if not meeting.agenda:
        doc.add_paragraph("No items have been added to this agenda yet.")
    for number, item in enumerate(meeting.agenda, start=1):
        doc.add_heading(_item_heading(number, item), level=2)
        if links := _item_links(item):
            doc.add_paragraph(links)
        if item.standing_key == ACTION_REVIEW:
            if carried:
                add_table(doc, ["Action", "Owner", "Due", "Status"], _action_rows(carried))
            else:
                doc.add_paragraph("No open actions from earlier meetings.")
    return _save(doc)


def minutes_docx(
    site_name: str, meeting: Meeting, actions: list[Action], carried: list[Action]
) -> bytes:
    doc = new_document(site_name, f"Minutes: {meeting.title}")
    _details(doc, meeting)
    if meeting.minutes_issued_at:
        delay = minutes_delay_days(meeting)
        when = "the same day" if delay == 0 else f"{delay} days after the meeting"
        doc.add_paragraph(f"Minutes issued {uk_date(meeting.minutes_issued_at)} ({when}).")
    else:
        doc.add_paragraph("Draft: these minutes have not been issued yet.")

    doc.add_heading("Attendance", level=1)
    rows = [
        [
            inv.person.name,
            inv.person.job_title or "",
            ATTENDANCE.get(inv.attendance or "", "Not recorded"),
        ]
        for inv in sorted(meeting.invitees, key=lambda inv: inv.person.name)
    ]
    if rows:
        add_table(doc, ["Name", "Role", "Attendance"], rows)
    else:
        doc.add_paragraph("Nobody was invited through the tracker.")
    present = sum(1 for inv in meeting.invitees if inv.attendance == "present")
    if meeting.group and meeting.group.quorum:
        quorate = "quorate" if present >= meeting.group.quorum else "not quorate"
        doc.add_paragraph(f"{present} present; the quorum is {meeting.group.quorum}: {quorate}.")

    doc.add_heading("Discussion and decisions", level=1)
    decisions: list[str] = []
    for number, item in enumerate(meeting.agenda, start=1):
        doc.add_heading(_item_heading(number, item), level=2)
        if links := _item_links(item):
            doc.add_paragraph(links)
        if item.standing_key == ACTION_REVIEW and carried:
            doc.add_paragraph("Open actions from earlier meetings reviewed:")
            add_table(doc, ["Action", "Owner", "Due", "Status"], _action_rows(carried))
        doc.add_paragraph(item.notes or "No notes recorded.")
        for line in (item.decisions or "").splitlines():
            if line.strip():
                doc.add_paragraph(line.strip(), style="List Bullet")
                decisions.append(line.strip())
    if decisions:
        doc.add_heading("Decisions", level=1)
        for line in decisions:
            doc.add_paragraph(line, style="List Number")

    doc.add_heading("Actions", level=1)
    if actions:
        add_table(doc, ["Action", "Owner", "Due", "Status"], _action_rows(actions))
    else:
        doc.add_paragraph("No actions were raised at this meeting.")
    return _save(doc)
