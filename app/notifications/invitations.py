"""Meeting mail: calendar invitations and cancellations, the agenda ahead, issued minutes.

Meeting mail goes to the meeting's invitees (people on the meeting's site) whatever their
email preference; one-click unsubscribe stops it for that address.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.core.cleantext import plain_text
from app.core.dates import to_london, uk_date, uk_datetime, uk_time
from app.extensions import db
from app.meetings import export, ics, queries
from app.meetings.attendees import calendar_people
from app.meetings.models import Meeting
from app.notifications.compose import Attachment, Draft, Recipient, external_url
from app.notifications.models import OutboxMessage
from app.notifications.outbox import person_recipients, queue
from app.notifications.stored import DOCUMENTS, deferred
from app.people.models import Person
from app.sites.models import Site

DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def recipients(
    meeting: Meeting, person_ids: set[int] | None = None, removed: bool = False
) -> list[Recipient]:
    """Invitees with an email (or, when `removed`, the people just taken off the list)."""
    if removed:
        people = list(
            db.session.scalars(
                select(Person).where(
                    Person.id.in_(person_ids or set()), Person.site_id == meeting.site_id
                )
            )
        )
    else:
        people = [
            inv.person
            for inv in meeting.invitees
            if person_ids is None or inv.person_id in person_ids
        ]
    return person_recipients(people)


# Characters no file name may hold on Windows, macOS or Linux.
UNSAFE_IN_NAMES = str.maketrans({c: " " for c in '\\/:*?"<>|'})


def file_name(meeting: Meeting, what: str, extension: str) -> str:
    """An attachment's name as people say it: "Steering group agenda, 8 Dec 2026.docx"."""
    day = to_london(meeting.starts_at).date()
    title = " ".join(plain_text(meeting.title).translate(UNSAFE_IN_NAMES).split())[:80]
    words = f"{title} {what}" if what else title
    return f"{words}, {day.day} {day:%b %Y}.{extension}"


def meeting_link(meeting: Meeting) -> str:
    return external_url("sites.meetings.show", site_id=meeting.site_id, meeting_id=meeting.id)


def _draft(meeting: Meeting, subject: str, text: str, **parts) -> Draft:
    return Draft(subject, text, link=meeting_link(meeting), button="Open the meeting", **parts)


def _details(meeting: Meeting, site_name: str) -> list[str]:
    """The meeting in the body: each value people typed is one line of plain text."""
    lines = [
        plain_text(meeting.title),
        plain_text(site_name),
        "",
        f"When: {uk_datetime(meeting.starts_at)} to {uk_time(meeting.ends_at)} (UK time)",
    ]
    if meeting.location:
        lines.append(f"Where: {plain_text(meeting.location)}")
    if meeting.online_link:
        lines.append(f"Join online: {plain_text(meeting.online_link)}")
    if meeting.agenda:
        lines += ["", "Agenda:"]
        lines += [
            f"{n}. {plain_text(item.title)}" for n, item in enumerate(meeting.agenda, start=1)
        ]
    page = meeting_link(meeting)
    return [*lines, "", f"The meeting's page: {page}"]


def queue_series(meetings: list[Meeting]) -> int:
    """One invitation per invitee for a whole series (the rule repeats it in calendars)."""
    first = meetings[0]
    site = db.session.get(Site, first.site_id)
    calendar = ics.series_invitation(meetings, site.name, calendar_people(first))
    subject = (
        f"Invitation: {first.title}, {len(meetings)} meetings from {uk_datetime(first.starts_at)}"
    )
    dates = [f"- {uk_datetime(m.starts_at)}" for m in meetings]
    text = "\n".join(
        ["You are invited to this series of meetings.", "", *_details(first, site.name), "",
         "The dates:", *dates]
    )  # fmt: skip
    count = 0
    for recipient in recipients(first):
        draft = Draft(subject, text, calendar=calendar, calendar_method="REQUEST")
        thread = f"series:{first.series_uid}"
        if queue(site.id, "invitation", recipient, draft, "meetings", thread=thread):
            count += 1
    return count


def queue_calendar(
    meeting: Meeting,
    method: str,
    person_ids: set[int] | None = None,
    removed: bool = False,
    moved_from: datetime | None = None,
) -> int:
    """REQUEST (booked or changed) or CANCEL to each invitee with an email; `person_ids`
    limits it to some (someone just invited, or taken off the list when `removed`); a
    meeting moved says its old and new time (`moved_from`, naive UTC)."""
    site = db.session.get(Site, meeting.site_id)
    people = calendar_people(meeting)
    calendar = ics.invitation(meeting, site.name, method, people)
    if method == "CANCEL":
        verb = "Taken off the invitation list" if removed else "Cancelled"
        intro = (
            "You are no longer invited to this meeting."
            if removed
            else "This meeting has been cancelled."
        )
    else:
        verb = "Invitation" if meeting.ics_sequence == 0 else "Updated invitation"
        intro = (
            "You are invited to this meeting."
            if meeting.ics_sequence == 0
            else ("This meeting has changed. The details below replace the earlier invitation.")
        )
        if moved_from is not None and moved_from != meeting.starts_at:
            intro += (
                f"\n\nMoved from {uk_datetime(moved_from)} to {uk_datetime(meeting.starts_at)}"
                " (UK time)."
            )
    subject = f"{verb}: {meeting.title}, {uk_datetime(meeting.starts_at)}"
    text = "\n".join([intro, "", *_details(meeting, site.name)])
    count = 0
    for recipient in recipients(meeting, person_ids, removed):
        draft = _draft(
            meeting, subject, text, calendar=calendar, calendar_method=method,
            calendar_name=file_name(meeting, "", "ics"),
        )  # fmt: skip
        kind = "cancellation" if method == "CANCEL" else "invitation"
        if queue(site.id, kind, recipient, draft, "meetings", thread=f"meeting:{meeting.id}"):
            count += 1
    return count


def queue_agenda(meeting: Meeting) -> int:
    """The agenda with the .docx attached, once per invitee (the daily run may ask again)."""
    sent = set(
        db.session.scalars(
            select(OutboxMessage.once_key).where(
                OutboxMessage.once_key.like(f"agenda:{meeting.id}:%")
            )
        )
    )
    pending = [r for r in recipients(meeting) if f"agenda:{meeting.id}:{r.person_id}" not in sent]
    if not pending:
        return 0  # everyone has it: no need to build the document again
    site = db.session.get(Site, meeting.site_id)
    draft = agenda_draft(meeting, site.name)
    count = 0
    for recipient in pending:
        key = f"agenda:{meeting.id}:{recipient.person_id}"
        if queue(site.id, "agenda", recipient, draft, "meetings", once_key=key):
            count += 1
    return count


def agenda_draft(meeting: Meeting, site_name: str) -> Draft:
    """The agenda email, the same for every invitee; its .docx is written when the
    message is sent (`agenda_attachment`), so queueing a day's agendas writes none."""
    text = "\n".join(
        ["The agenda for this meeting is attached.", "", *_details(meeting, site_name)]
    )
    subject = f"Agenda: {meeting.title}, {uk_date(meeting.starts_at)}"
    name = file_name(meeting, "agenda", "docx")
    attachment = deferred("agenda", meeting.id, name, *DOCX)
    return _draft(meeting, subject, text, attachments=[attachment])


def agenda_attachment(meeting_id: int) -> Attachment:
    """A meeting's agenda .docx as it stands now (LookupError when it was deleted)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise LookupError(f"meeting {meeting_id} no longer exists")
    site = db.session.get(Site, meeting.site_id)
    content = export.agenda_docx(site.name, meeting, queries.carried_forward(meeting))
    return Attachment(file_name(meeting, "agenda", "docx"), content, *DOCX)


DOCUMENTS["agenda"] = agenda_attachment


def queue_minutes(meeting: Meeting) -> int:
    """Issued minutes with the .docx attached, the day they are issued."""
    site = db.session.get(Site, meeting.site_id)
    content = export.minutes_docx(
        site.name, meeting, queries.meeting_actions(meeting), queries.carried_forward(meeting)
    )
    lines = ["The minutes of this meeting are attached, with its actions.", ""]
    text = "\n".join(lines + _details(meeting, site.name))
    subject = f"Minutes: {meeting.title}, {uk_date(meeting.starts_at)}"
    count = 0
    for recipient in recipients(meeting):
        attachment = Attachment(file_name(meeting, "minutes", "docx"), content, *DOCX)
        draft = _draft(meeting, subject, text, attachments=[attachment])
        key = f"minutes:{meeting.id}:{recipient.person_id}"
        if queue(site.id, "minutes", recipient, draft, "meetings", once_key=key):
            count += 1
    return count
