"""Mail at scale (#34 item 4): shared content stored once, agendas written when sent,
reminders queued in a fixed number of statements, batches over one SMTP connection each,
and no cap on a run but its time budget."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select

from app.core.dates import utcnow
from app.extensions import db
from app.meetings import service as meetings
from app.meetings.models import AgendaItem, Invitee
from app.notifications import sender
from app.notifications.compose import Draft, Recipient
from app.notifications.invitations import file_name
from app.notifications.models import MailPart, OutboxAttachment, OutboxMessage
from app.notifications.outbox import Queued, queue_many
from app.notifications.reminders import queue_agendas
from app.notifications.sender import send_due
from app.people import gdpr
from tests.fixtures.meetings import create_meeting, create_person
from tests.fixtures.notifications import outbox, parsed


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement the database runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _meetings_with_agendas(site, count: int, invitees: int) -> list:  # noqa: ANN001
    people = [
        create_person(site, f"Person {n}", email=f"person{n}@example.nhs.uk")
        for n in range(invitees)
    ]
    found = []
    for n in range(count):
        starts = utcnow().replace(microsecond=0) + timedelta(days=2)
        meeting = create_meeting(site, starts=starts, title=f"Meeting {n}")
        for person in people:
            db.session.add(Invitee(site_id=site.id, meeting_id=meeting.id, person_id=person.id))
        db.session.add(AgendaItem(site_id=site.id, meeting_id=meeting.id, title="Progress"))
        found.append(meeting)
    db.session.commit()
    db.session.execute(db.delete(OutboxMessage))  # invitations: tested elsewhere
    db.session.commit()
    db.session.expire_all()
    return found


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return package.read("word/document.xml").decode()


def test_agendas_are_queued_in_the_same_statements_for_3_meetings_or_9(make_site) -> None:
    small, large = make_site(), make_site()
    _meetings_with_agendas(small, 3, invitees=2)
    _meetings_with_agendas(large, 9, invitees=4)
    counts = []
    for site in (small, large):
        others = [s for s in (small, large) if s is not site]
        for other in others:  # one site's meetings at a time: the other's are cancelled
            db.session.execute(
                db.update(meetings.Meeting)
                .where(meetings.Meeting.site_id == other.id)
                .values(cancelled=True)
            )
        db.session.execute(
            db.update(meetings.Meeting)
            .where(meetings.Meeting.site_id == site.id)
            .values(cancelled=False)
        )
        db.session.commit()
        with statements() as seen:
            queued = queue_agendas(utcnow())
        counts.append(len(seen))
        db.session.commit()
        assert queued == (6 if site is small else 36)
    assert counts[0] == counts[1], counts  # not 3 statements a message as before
    # The .docx is written when each message is sent, so queueing stored none.
    assert db.session.scalar(select(func.count(MailPart.id))) == 0
    assert db.session.scalar(select(func.count(OutboxAttachment.message_id))) == 42


def test_an_agenda_goes_with_the_document_as_it_stands_when_sent(make_site, smtp_server) -> None:
    site = make_site()
    (meeting,) = _meetings_with_agendas(site, 1, invitees=3)
    assert queue_agendas(utcnow()) == 3
    db.session.commit()
    db.session.add(AgendaItem(site_id=site.id, meeting_id=meeting.id, title="Added later"))
    db.session.commit()
    assert send_due().sent == 3
    for message in smtp_server.inbox.messages:
        (document,) = list(message.iter_attachments())
        assert document.get_filename() == file_name(meeting, "agenda", "docx")
        assert "Added later" in _docx_text(document.get_content())


def test_minutes_sent_to_many_are_stored_once(make_site, smtp_server) -> None:
    site = make_site()
    (meeting,) = _meetings_with_agendas(site, 1, invitees=4)
    meeting.starts_at = utcnow() - timedelta(days=1)
    db.session.commit()
    meetings.issue_minutes(meeting)
    db.session.commit()
    minutes = outbox(kind="minutes")
    assert len(minutes) == 4
    (part,) = db.session.scalars(select(MailPart)).all()  # one .docx for four messages
    links = db.session.scalars(select(OutboxAttachment)).all()
    assert {link.part_id for link in links} == {part.id} and len(links) == 4
    assert send_due().sent == 4
    received = smtp_server.inbox.messages
    assert all(
        next(m.iter_attachments()).get_content() == part.content for m in received
    )  # each recipient gets the whole document


def test_erasing_someone_named_in_stored_minutes_takes_the_document_off(make_site) -> None:
    site = make_site()
    (meeting,) = _meetings_with_agendas(site, 1, invitees=2)
    aisha = create_person(site, "Aisha Rahman", email="")
    meeting.chair_id = aisha.id
    meeting.starts_at = utcnow() - timedelta(days=1)
    db.session.commit()
    meetings.issue_minutes(meeting)
    db.session.commit()
    assert "Aisha" in _docx_text(db.session.scalars(select(MailPart.content)).one())
    gdpr.erase_person(aisha, None)
    db.session.commit()
    assert db.session.scalar(select(func.count(MailPart.id))) == 0
    assert db.session.scalar(select(func.count(OutboxAttachment.message_id))) == 0
    for row in outbox(kind="minutes"):
        assert "aisha" not in parsed(row).as_string().lower()


def _digests(count: int) -> int:
    entries = [
        Queued(
            None,
            "digest",
            Recipient(f"Reader {n}", f"reader{n}@example.nhs.uk"),
            Draft("Your reminders", f"- Task {n}"),
            "digest",
            f"digest:test:{n}",
        )
        for n in range(count)
    ]
    queued = queue_many(entries)
    db.session.commit()
    return queued


def test_1000_messages_go_in_batches_each_over_one_connection(
    app, smtp_server, monkeypatch
) -> None:  # noqa: ANN001
    assert _digests(1000) == 1000
    app.config["MAIL_BATCH_SIZE"] = 200
    transports = []

    def counted(config: dict):  # noqa: ANN202
        transports.append(sender.SmtpTransport(config))
        return transports[-1]

    monkeypatch.setattr(sender, "transport_for", counted)
    with statements() as seen:
        outcome = send_due()
    assert outcome.sent == 1000 and len(smtp_server.inbox.messages) == 1000
    assert [t.connections for t in transports] == [1] * 5  # one connection per batch
    # Per message: the claim re-checked, the row read, its new status; per batch a few.
    assert len(seen) <= 3 * 1000 + 10 * 5 + 10, len(seen)


def test_one_run_sends_everything_due_with_no_cap(app, smtp_server) -> None:  # noqa: ANN001
    assert _digests(450) == 450
    app.config["MAIL_BATCH_SIZE"] = 100
    assert send_due().sent == 450  # was at most 200 a run
    assert outbox(status="queued") == []


def test_a_spent_time_budget_stops_the_run_and_keeps_the_rest_queued(app) -> None:  # noqa: ANN001
    assert _digests(30) == 30
    assert send_due(budget_seconds=0).sent == 0
    assert len(outbox(status="queued")) == 30
    assert outbox(status="sending") == []


def test_queueing_twice_adds_nothing(app) -> None:  # noqa: ANN001
    assert _digests(20) == 20
    assert _digests(20) == 0
