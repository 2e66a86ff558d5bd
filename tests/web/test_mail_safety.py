"""Mail nobody can forge or stall (issue #28 items 2, 5, 6, 9 and 15): encoded words in
titles, names and site names; international addresses; one bad message among many; a
change saved with all its messages or none; a sender whose claim went stale."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.accounts.invitations import create_invitation, invite_user
from app.core.dates import today, utcnow
from app.extensions import db
from app.meetings import service as meetings
from app.meetings.models import Meeting
from app.meetings.service import MeetingDetails
from app.notifications import sender
from app.notifications.models import OutboxMessage
from app.notifications.sender import send_due
from tests.fixtures.meetings import create_group, create_person
from tests.fixtures.notifications import SmtpServer, calendar_part, outbox, parsed, serving

INJECTION = "=?utf-8?q?Budget=0D=0AReply-To:_attacker@evil.example=0D=0A=0D=0AClick_here?="
# Every header a message carries, and nothing else.
HEADERS = {
    "From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "List-Unsubscribe",
    "List-Unsubscribe-Post", "MIME-Version", "Content-Type",
}  # fmt: skip


def utf8(header: object) -> str:
    """A header of an SMTPUTF8 message as a UTF-8 reader sees it (the email package's parser
    keeps the raw bytes as surrogate escapes)."""
    return str(header).encode("utf-8", "surrogateescape").decode("utf-8")


FIVE = [
    ("Ann Chair", "ann@example.nhs.uk"),
    ("Bob Notes", "bob@example.nhs.uk"),
    ("Zoë Ward", "zoë@example.nhs.uk"),
    ("Dan Data", "dan@example.nhs.uk"),
    ("Eve Lead", "eve@bücher.example"),
]


def _details(day: date, group_id: int, title: str = "Steering group") -> MeetingDetails:
    return MeetingDetails(
        kind="steering_group", title=title, day=day, start=time(10), end=time(11),
        group_id=group_id,
    )  # fmt: skip


def _site_with(make_site, people: list[tuple[str, str]], site_name: str = "Riverside FLS"):  # noqa: ANN001, ANN202
    site = make_site(name=site_name)
    persons = [create_person(site, name, email=email) for name, email in people]
    group = create_group(site, "Steering group", persons)
    db.session.commit()
    return site, persons, group


def _book(site, group, title: str = "Steering group", days: int = 10) -> Meeting:  # noqa: ANN001
    meeting = meetings.create_meeting(
        site, _details(today() + timedelta(days=days), group.id, title)
    )
    db.session.commit()
    return meeting


def _move(meeting: Meeting, days: int) -> None:
    meetings.update_meeting(
        meeting, _details(today() + timedelta(days=days), meeting.group_id, meeting.title)
    )
    db.session.commit()


def test_an_encoded_word_in_a_meeting_title_adds_no_header_and_no_body(
    app, make_site, smtp_server
) -> None:  # noqa: ANN001
    site, _people, group = _site_with(make_site, FIVE[:1])
    _book(site, group, title=INJECTION)
    send_due()
    (message,) = smtp_server.inbox.messages
    assert set(message.keys()) == HEADERS
    assert message["Reply-To"] is None
    assert message["Subject"].startswith(
        "Invitation: Budget Reply-To: attacker@evil.example Click here, "
    )
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("You are invited to this meeting.\n\nBudget Reply-To: attacker@")


def test_an_encoded_word_in_a_persons_name_adds_no_bcc(app, make_site, smtp_server) -> None:  # noqa: ANN001
    name = "=?utf-8?q?Ann=0D=0ABcc:_spy@evil.example?="
    site, _people, group = _site_with(make_site, [(name, "ann@example.nhs.uk")])
    _book(site, group)
    send_due()
    (message,) = smtp_server.inbox.messages
    assert set(message.keys()) == HEADERS
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Ann Bcc: spy@evil.example", "ann@example.nhs.uk")
    assert [rcpt for _from, rcpt in smtp_server.inbox.envelopes] == [["ann@example.nhs.uk"]]


def test_an_encoded_word_in_a_site_name_stays_inside_the_invitation_subject(
    app, make_site, smtp_server
) -> None:  # noqa: ANN001
    site = make_site(name="=?utf-8?q?Riverside=0D=0ABcc:_spy@evil.example=0D=0A=0D=0AHi?=")
    user, _created = invite_user("ola.new@example.nhs.uk", "Ola New")
    create_invitation(user, site_id=site.id)
    db.session.commit()
    send_due()
    (message,) = smtp_server.inbox.messages
    assert message["Bcc"] is None
    # Account mail cannot be switched off, so it carries no unsubscribe headers.
    no_unsubscribe = HEADERS - {"List-Unsubscribe", "List-Unsubscribe-Post"}
    assert set(message.keys()) == no_unsubscribe  # multipart: plain text and HTML
    assert message["Subject"] == (
        "Your invitation to Riverside Bcc: spy@evil.example Hi on the FLS Tracker"
    )


def test_an_international_domain_is_sent_idna_encoded_by_send_mail_once(
    app, make_site, smtp_server
) -> None:  # noqa: ANN001
    site, _people, group = _site_with(make_site, [("Ann Books", "ann@bücher.example")])
    _book(site, group)
    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, to retry 0, failed 0." in result.output
    assert [rcpt for _from, rcpt in smtp_server.inbox.envelopes] == [["ann@xn--bcher-kva.example"]]


def test_a_message_queued_before_with_a_unicode_domain_never_crashes_the_sender(
    app, make_site, smtp_server
) -> None:  # noqa: ANN001
    site, _people, group = _site_with(make_site, FIVE[:2])
    _book(site, group)
    first = outbox()[0]
    first.to_address = "ann@bücher.example"  # as the old validation stored it
    db.session.commit()
    first_id = first.id
    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, to retry 0, failed 1." in result.output
    first = db.session.get(OutboxMessage, first_id)
    assert first.status == "failed" and "SMTPUTF8" in first.last_error
    assert [m.status for m in outbox()] == ["failed", "sent"]


def test_moving_a_five_person_meeting_updates_every_invitee(app, make_site) -> None:  # noqa: ANN001
    site, people, group = _site_with(make_site, FIVE)
    meeting = _book(site, group)
    with serving(app, SmtpServer(smtputf8=True)) as server:
        send_due()
        _move(meeting, 12)
        updates = outbox(status="queued")
        assert sorted(m.person_id for m in updates) == sorted(p.id for p in people)
        assert send_due().sent == 5
    received = sorted(rcpt[0] for _from, rcpt in server.inbox.envelopes)
    assert received == sorted(
        ["ann@example.nhs.uk", "bob@example.nhs.uk", "zoë@example.nhs.uk",
         "dan@example.nhs.uk", "eve@xn--bcher-kva.example"] * 2
    )  # fmt: skip
    to_zoe = [m for m in server.inbox.messages if utf8(m["To"]) == "Zoë Ward <zoë@example.nhs.uk>"]
    assert [m["Subject"].split(":")[0] for m in to_zoe] == ["Invitation", "Updated invitation"]


def test_without_smtputf8_only_that_message_fails_with_its_reason(app, make_site) -> None:  # noqa: ANN001
    site, _people, group = _site_with(make_site, FIVE)
    _book(site, group)
    with serving(app, SmtpServer(smtputf8=False)) as server:
        outcome = send_due()
    assert (outcome.sent, outcome.retried, outcome.failed) == (4, 0, 1)
    (failed,) = outbox(status="failed")
    assert failed.to_address == "zoë@example.nhs.uk" and failed.tries == 1
    assert "does not offer SMTPUTF8" in failed.last_error
    assert len(server.inbox.messages) == 4
    assert outbox(status="sending") == []


def test_a_message_that_cannot_be_written_is_saved_failed_beside_the_others(
    app, make_site, monkeypatch, smtp_server
) -> None:  # noqa: ANN001
    from app.notifications import outbox as outbox_module

    site, people, group = _site_with(make_site, [FIVE[0], FIVE[1], FIVE[3], FIVE[4]])
    written = outbox_module.build

    def build(recipient, draft, scope):  # noqa: ANN001, ANN202
        if recipient.person_id == people[1].id:
            raise ValueError("cannot be written")
        return written(recipient, draft, scope)

    monkeypatch.setattr(outbox_module, "build", build)
    _book(site, group)
    rows = outbox()
    assert len(rows) == 4
    (bad,) = [m for m in rows if m.status == "failed"]
    assert bad.person_id == people[1].id and bad.last_error == "Could not be written: ValueError"
    outcome = send_due()
    assert (outcome.sent, outcome.failed) == (3, 0)  # failed when written: never claimed
    assert len(smtp_server.inbox.messages) == 3


def test_a_change_is_saved_with_all_its_messages_or_not_at_all(app, make_site, monkeypatch) -> None:  # noqa: ANN001
    from app.notifications import invitations

    site, _people, group = _site_with(make_site, FIVE)
    real_queue, calls = invitations.queue, []

    def queue(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real_queue(*args, **kwargs)

    monkeypatch.setattr(invitations, "queue", queue)
    monkeypatch.setitem(app.config, "TESTING", False)  # as in production
    meetings.create_meeting(site, _details(today() + timedelta(days=10), group.id))
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalars(select(Meeting)).all() == [] and outbox() == []


def test_a_sender_whose_claim_went_stale_leaves_what_another_took_over(
    app, make_site, smtp_server, monkeypatch, time_machine
) -> None:  # noqa: ANN001
    time_machine.move_to(utcnow(), tick=False)
    site, _people, group = _site_with(make_site, FIVE[:1])
    for days in range(3, 15):  # 12 meetings, one message each
        _book(site, group, days=days)
    real_transport_for, slow = sender.transport_for, {"sends": 0}

    class SlowServer:  # every message takes 10 minutes to go
        def __init__(self, config: dict) -> None:
            self.inner = real_transport_for(config)

        def send(self, message, raw, envelope_from) -> None:  # noqa: ANN001
            self.inner.send(message, raw, envelope_from)
            time_machine.shift(timedelta(minutes=10))
            slow["sends"] += 1
            if slow["sends"] == 2:  # 20 minutes in, a second sender starts
                monkeypatch.setattr(sender, "transport_for", real_transport_for)
                assert send_due().sent == 10

        def close(self) -> None:
            self.inner.close()

    monkeypatch.setattr(sender, "transport_for", SlowServer)
    outcome = send_due()
    assert (outcome.sent, outcome.taken_over) == (2, 10)
    subjects = [m["Subject"] for m in smtp_server.inbox.messages]
    assert len(subjects) == len(set(subjects)) == 12  # each arrived exactly once
    assert {m.status for m in outbox()} == {"sent"}


def test_calendar_names_carry_no_control_characters(app, make_site) -> None:  # noqa: ANN001
    site, _people, group = _site_with(
        make_site, [("Ann\x07Chair\x1b", "ann@example.nhs.uk"), ("Bob\u2028Notes", "b@x.org")]
    )
    _book(site, group)
    message = parsed(outbox()[0])
    raw = calendar_part(message)
    assert not any(ch in raw for ch in (b"\x07", b"\x1b", "\u2028".encode()))
    attendees = Calendar.from_ical(raw).walk("VEVENT")[0]["attendee"]
    assert sorted(a.params["CN"] for a in attendees) == ["Ann Chair", "Bob Notes"]
    assert (
        db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "failed")) is None
    )
