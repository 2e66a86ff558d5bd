"""The agenda ahead of a meeting, and the subscribed feed's organiser and attendees."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from app.core.dates import to_london, utcnow
from app.extensions import db
from app.meetings.models import AgendaItem, Invitee
from app.notifications.models import OutboxMessage
from app.notifications.reminders import queue_agendas
from tests.fixtures.meetings import create_meeting, create_person
from tests.fixtures.notifications import outbox, parsed


def _meeting_with_agenda(site, days: int, people):  # noqa: ANN001, ANN202
    meeting = create_meeting(site, starts=utcnow().replace(microsecond=0) + timedelta(days=days))
    for person in people:
        db.session.add(Invitee(site_id=site.id, meeting_id=meeting.id, person_id=person.id))
    db.session.add(AgendaItem(site_id=site.id, meeting_id=meeting.id, title="Progress"))
    db.session.commit()
    return meeting


def test_the_agenda_goes_out_the_set_number_of_days_before(app, make_site) -> None:
    site = make_site()
    site.agenda_notice_days = 3
    ann = create_person(site, "Ann", email="ann@example.nhs.uk")
    db.session.commit()
    near = _meeting_with_agenda(site, 2, [ann])
    _meeting_with_agenda(site, 10, [ann])
    db.session.execute(db.delete(OutboxMessage))  # the invitations are tested elsewhere
    db.session.commit()
    assert queue_agendas(utcnow()) == 1
    assert queue_agendas(utcnow()) == 0  # the daily run again: nothing twice
    db.session.commit()
    (message,) = outbox(kind="agenda")
    email = parsed(message)
    assert email["Subject"].startswith("Agenda:")
    day = to_london(near.starts_at).date()
    # "Steering group agenda, 8 Dec 2026.docx"
    named = f"{near.title} agenda, {day.day} {day:%b %Y}.docx"
    assert [p.get_filename() for p in email.iter_attachments()] == [named]


def test_the_feed_carries_organiser_attendees_agenda_and_link(login, site_world) -> None:
    site = site_world["site"]
    chair = create_person(site, "Ann Chair", email="ann@example.nhs.uk")
    bob = create_person(site, "Bob", email="")
    meeting = _meeting_with_agenda(site, 4, [chair, bob])
    meeting.chair_id, meeting.online_link = chair.id, "https://meet.example/fls"
    db.session.commit()
    body = login(site_world["viewer"]).get(f"/sites/{site.id}/meetings.ics").data
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["organizer"]) == "mailto:fls-tracker@localhost"  # nobody booked it here
    attendees = event["attendee"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [(str(a), a.params["ROLE"]) for a in attendees] == [
        ("mailto:ann@example.nhs.uk", "CHAIR")
    ]
    assert "1. Progress" in str(event["description"])
    assert "https://meet.example/fls" in str(event["description"])
