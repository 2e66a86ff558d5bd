"""Meeting mail, read back from a real SMTP server: invitations, moves, cancellations,
outages, header injection and who may receive what."""

from __future__ import annotations

import logging
from datetime import date, time, timedelta

import pytest
from icalendar import Calendar

from app.core.dates import to_london, today, utcnow
from app.extensions import db
from app.meetings import service as meetings
from app.meetings.service import MeetingDetails
from app.notifications.compose import Draft, Recipient
from app.notifications.outbox import NotOnSite, queue
from app.notifications.sender import send_due
from app.notifications.stored import render
from tests.conftest import csrf_token
from tests.fixtures.meetings import create_group, create_person
from tests.fixtures.notifications import calendar_part, outbox, parsed


def _details(day: date, start: time = time(10), title: str = "Steering group", **extra):
    return MeetingDetails(
        kind="steering_group", title=title, day=day, start=start,
        end=(start.replace(hour=start.hour + 1)), **extra,
    )  # fmt: skip


@pytest.fixture
def invited(app, make_site):  # noqa: ANN001, ANN201
    """A site whose steering group has one person with an email, one without and one with
    a broken address."""
    site = make_site(name="Riverside FLS")
    ann = create_person(site, "Ann Chair", email="ann@example.nhs.uk")
    bob = create_person(site, "Bob Notes")
    cat = create_person(site, "Cat Nurse", email="cat@not an address")
    group = create_group(site, "Steering group", [ann, bob, cat])
    db.session.commit()
    return {"site": site, "ann": ann, "bob": bob, "cat": cat, "group": group}


def _book(world: dict, **extra):  # noqa: ANN202
    meeting = meetings.create_meeting(
        world["site"],
        _details(today() + timedelta(days=10), group_id=world["group"].id, **extra),
    )
    db.session.commit()
    return meeting


def _event(message) -> tuple[Calendar, object]:  # noqa: ANN001
    cal = Calendar.from_ical(calendar_part(message))
    return cal, cal.walk("VEVENT")[0]


def test_booking_moving_and_cancelling_send_one_calendar_thread(invited, smtp_server) -> None:
    meeting = _book(invited, chair_id=invited["ann"].id, online_link="https://meet.example/x")
    meetings.update_meeting(
        meeting,
        _details(today() + timedelta(days=11), group_id=invited["group"].id,
                 chair_id=invited["ann"].id, online_link="https://meet.example/x"),
    )  # fmt: skip
    db.session.commit()
    send_due()
    meetings.cancel_meeting(meeting)
    db.session.commit()
    send_due()

    received = smtp_server.inbox.messages
    # Bob has no email and Cat's is broken: only Ann is invited by email.
    assert [rcpt for _from, rcpt in smtp_server.inbox.envelopes] == [["ann@example.nhs.uk"]] * 2
    calendars = [_event(message) for message in received]
    (request, booked), (cancel, cancelled) = calendars
    assert str(request["method"]) == "REQUEST" and str(cancel["method"]) == "CANCEL"
    assert (
        booked["uid"]
        == cancelled["uid"]
        == f"fls-meeting-{meeting.id}-site-{meeting.site_id}@fls-tracker"
    )
    # Booked then moved before the sender ran: only the latest version (SEQUENCE 1) went.
    assert int(booked["sequence"]) == 1 and int(cancelled["sequence"]) == 2
    # Nobody signed in booked it: the app organises it; the chair attends, as the chair.
    assert str(booked["organizer"]) == "mailto:fls-tracker@localhost"
    attendees = booked["attendee"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:ann@example.nhs.uk"]
    assert attendees[0].params["ROLE"] == "CHAIR"
    assert booked["dtstart"].dt.tzinfo.key == "Europe/London"
    assert str(cancelled["status"]) == "CANCELLED"
    assert "https://meet.example/x" in str(booked["description"])
    assert request.walk("VTIMEZONE")
    assert received[0]["Subject"].startswith("Updated invitation: Steering group")
    assert received[1]["Subject"].startswith("Cancelled: Steering group")
    assert [m.status for m in outbox()] == ["superseded", "sent", "sent"]


def test_people_without_a_usable_email_are_marked_not_invited(
    invited, login, make_user, add_member
) -> None:  # noqa: E501
    meeting = _book(invited)
    assert {m.person_id for m in outbox()} == {invited["ann"].id}
    editor = make_user()
    add_member(invited["site"], editor, "editor")
    page = login(editor).get(f"/sites/{invited['site'].id}/meetings/{meeting.id}")
    html = page.get_data(as_text=True)
    assert html.count("Not invited by email") == 2


def test_someone_invited_later_gets_their_own_invitation(invited, smtp_server) -> None:
    meeting = _book(invited)
    dan = create_person(invited["site"], "Dan Data", email="dan@example.nhs.uk")
    meetings.add_invitee(meeting, dan.id)
    db.session.commit()
    send_due()
    meetings.remove_invitee(meeting, next(i.id for i in meeting.invitees if i.person_id == dan.id))
    db.session.commit()
    send_due()
    to_dan = smtp_server.inbox.to("dan@example.nhs.uk")
    assert [str(_event(m)[0]["method"]) for m in to_dan] == ["REQUEST", "CANCEL"]
    assert len(smtp_server.inbox.to("ann@example.nhs.uk")) == 1


def test_an_outage_loses_nothing_and_sends_nothing_twice(invited, smtp_server, app) -> None:
    for days in (3, 4, 5, 6):
        meetings.create_meeting(
            invited["site"], _details(today() + timedelta(days=days), group_id=invited["group"].id)
        )
    db.session.commit()
    assert send_due(limit=1).sent == 1  # the run starts, then the server goes down
    smtp_server.stop()
    outcome = send_due()
    assert (outcome.sent, outcome.retried) == (0, 3)
    waiting = outbox(status="queued")
    assert len(waiting) == 3 and {m.tries for m in waiting} == {1}
    assert all("ConnectionRefusedError" in m.last_error for m in waiting)
    assert send_due().sent == 0  # not due again until the back-off has passed

    smtp_server.start()
    later = utcnow() + timedelta(seconds=app.config["MAIL_RETRY_SECONDS"] + 1)
    assert send_due(now=later).sent == 3
    assert send_due(now=later + timedelta(hours=1)).sent == 0
    subjects = [m["Subject"] for m in smtp_server.inbox.messages]
    assert len(subjects) == len(set(subjects)) == 4  # every meeting once, none twice
    assert {m.status for m in outbox()} == {"sent"}


@pytest.mark.app_config(MAIL_MAX_TRIES=2)
def test_a_message_that_keeps_failing_is_shown_to_admins(
    invited, smtp_server, login, make_user
) -> None:  # noqa: E501
    meeting = _book(invited)
    smtp_server.stop()
    send_due()
    send_due(now=utcnow() + timedelta(days=1))
    (message,) = outbox()
    assert message.status == "failed" and message.tries == 2
    assert db.session.get(type(meeting), meeting.id).title == "Steering group"  # change kept
    admin = make_user(global_role="admin")
    page = login(admin).get("/admin/mail")
    assert page.status_code == 200 and "Failed" in page.get_data(as_text=True)
    assert "ConnectionRefusedError" in page.get_data(as_text=True)
    token = csrf_token(login(admin), "/admin/mail")
    retried = login(admin).post(f"/admin/mail/{message.id}/retry", data={"csrf_token": token})
    assert retried.status_code == 302
    db.session.refresh(message)
    assert (message.status, message.tries) == ("queued", 0)


def test_header_injection_in_a_title_or_name_is_flattened(invited, smtp_server) -> None:
    invited["ann"].name = "Ann\r\nBcc: spy@example.com"
    db.session.commit()
    _book(invited, title="Board\r\nBcc: spy@example.com")
    send_due()
    (message,) = smtp_server.inbox.messages
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"] and "Board Bcc: spy@example.com" in message["Subject"]
    assert smtp_server.inbox.envelopes == [
        (smtp_server.inbox.envelopes[0][0], ["ann@example.nhs.uk"])
    ]


def test_mail_goes_only_to_people_on_the_site(invited, make_site) -> None:
    other = make_site(name="Elsewhere")
    stranger = create_person(other, "Stranger", email="s@example.nhs.uk")
    with pytest.raises(NotOnSite):
        queue(
            invited["site"].id, "agenda",
            Recipient("Stranger", "s@example.nhs.uk", person_id=stranger.id),
            Draft("Hi", "Text"), "meetings",
        )  # fmt: skip


def test_logs_hold_ids_never_addresses(invited, smtp_server, caplog, monkeypatch) -> None:
    caplog.set_level(logging.INFO)
    for name in ("app.notifications.outbox", "app.notifications.sender"):
        # Alembic's fileConfig (the migration tests) disables loggers that already exist.
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)
    _book(invited)
    smtp_server.stop()
    send_due()
    smtp_server.start()
    send_due(now=utcnow() + timedelta(hours=1))
    ours = [record for record in caplog.records if record.name.startswith("app.")]  # not aiosmtpd's
    assert len(ours) >= 3
    assert not any("@" in record.getMessage() for record in ours)


def test_without_a_mail_server_messages_become_eml_files(invited, app, tmp_path) -> None:
    app.config.update(MAIL_SERVER="", MAIL_DIR=str(tmp_path / "mail"))
    _book(invited)
    assert send_due().sent == 1
    (file,) = (tmp_path / "mail").glob("*.eml")
    assert b"BEGIN:VCALENDAR" in file.read_bytes()


def test_issued_minutes_go_out_with_the_document(invited, smtp_server) -> None:
    meeting = meetings.create_meeting(
        invited["site"],
        _details(today() - timedelta(days=1), group_id=invited["group"].id),
        past_ok=True,
    )
    db.session.commit()
    assert outbox() == []  # a meeting recorded after it happened sends no invitation
    meetings.issue_minutes(meeting)
    db.session.commit()
    send_due()
    (message,) = smtp_server.inbox.messages
    assert message["Subject"].startswith("Minutes: Steering group")
    names = [part.get_filename() for part in message.iter_attachments()]
    day = to_london(meeting.starts_at).date()
    assert names == [f"Steering group minutes, {day.day} {day:%b %Y}.docx"]


def test_every_message_offers_one_click_unsubscribe(invited, client) -> None:
    _book(invited)
    (queued,) = outbox()
    message = parsed(queued)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert b"\r\nList-Unsubscribe: <http://127.0.0.1:5000/unsubscribe/" in render(queued)
    link = message["List-Unsubscribe"].strip("<>")
    path = link.split("127.0.0.1:5000", 1)[1]
    assert client.get(path).status_code == 200  # a page with a button; nothing changes yet
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})  # no sign-in, no CSRF
    assert response.status_code == 200
    assert "meeting invitations" in response.get_data(as_text=True)
    _book(invited, title="Next one")
    assert len(outbox()) == 1  # Ann opted out of meeting mail
    assert client.post("/unsubscribe/not-a-token").status_code == 404


def test_erasing_a_person_removes_their_messages(invited) -> None:
    from app.people.gdpr import erase_person

    _book(invited)
    assert len(outbox()) == 1
    erase_person(invited["ann"], None)
    db.session.commit()
    assert outbox() == []


def test_sent_messages_are_kept_only_a_while(invited, smtp_server, app) -> None:
    _book(invited)
    send_due()
    assert len(outbox(status="sent")) == 1
    send_due(now=utcnow() + timedelta(days=app.config["MAIL_KEEP_DAYS"] + 1))
    assert outbox() == []


def test_a_rolled_back_change_sends_nothing(invited) -> None:
    meetings.create_meeting(
        invited["site"], _details(today() + timedelta(days=3), group_id=invited["group"].id)
    )
    db.session.rollback()
    db.session.commit()
    assert outbox() == []
