"""Issuing minutes first shows who gets them and what is unfinished; a meeting booked in the
past is booked only once the person confirms it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.core.dates import today
from app.extensions import db
from app.meetings.models import Meeting
from tests.conftest import csrf_token


def test_issuing_minutes_shows_who_gets_them_and_warns_first(
    login, site_world, meeting_world
) -> None:
    site = site_world["site"]
    world = meeting_world(site)
    world["people"][0].email = "ann@example.nhs.uk"
    db.session.delete(world["item"])  # an empty agenda
    db.session.commit()
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/meetings/{world['past'].id}/issue"
    page = client.get(url).get_data(as_text=True)
    recipients = page.split('data-testid="minutes-recipients">')[1].split("</ul>")[0]
    assert "Ann Chair" in recipients and "Bob Notes" not in recipients
    assert "No email address for: Bob Notes, Cat Nurse." in page
    assert "The agenda is empty" in page
    assert "Attendance is not recorded for 3 of the 3 people invited" in page
    db.session.expire_all()
    assert (
        db.session.get(Meeting, world["past"].id).minutes_issued_at is None
    )  # GET changes nothing
    issued = client.post(url, data={"issue-csrf_token": csrf_token(client, url)})
    assert issued.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, world["past"].id).minutes_issued_at is not None


def test_a_meeting_in_the_past_needs_confirming(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/meetings/new"
    last_week = today() - timedelta(days=7)
    form = {
        "csrf_token": csrf_token(client, url),
        "kind": "steering_group",
        "title": "Kick-off",
        "day": f"{last_week:%d/%m/%Y}",
        "start_time": "10:00",
        "end_time": "11:00",
    }
    asked = client.post(url, data=form)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422 and "starts in the past" in html
    assert 'name="in_the_past"' in html and 'value="Kick-off"' in html
    assert db.session.scalar(select(func.count(Meeting.id))) == 0
    assert client.post(url, data=form | {"in_the_past": "y"}).status_code == 302
    assert db.session.scalar(select(func.count(Meeting.id))) == 1
