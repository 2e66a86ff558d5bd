"""Meetings pages through the test client: forms, errors, stale edits, downloads, query counts."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import docx
import icalendar
import pytest

from app.core.dates import today, utcnow
from app.extensions import db
from app.meetings.models import Action, AgendaItem, Meeting
from tests.conftest import csrf_token
from tests.fixtures.meetings import create_meeting, create_person


@pytest.fixture
def editor_client(login, site_world):
    return login(site_world["editor"])


def _base(site_world) -> str:
    return f"/sites/{site_world['site'].id}"


def test_series_books_monthly_meetings(editor_client, site_world, meeting_world) -> None:
    world = meeting_world(site_world["site"])
    base = _base(site_world)
    first = today() + timedelta(days=10)
    response = editor_client.post(
        f"{base}/meetings/series",
        data={
            "csrf_token": csrf_token(editor_client, f"{base}/meetings/series"),
            "kind": "steering_group", "title": "Monthly steering group",
            "day": f"{first:%d/%m/%Y}", "start_time": "14:00", "end_time": "15:00",
            "group_id": str(world["group"].id), "frequency": "monthly", "count": "12",
        },
    )  # fmt: skip
    assert response.status_code == 302
    titles = db.session.scalars(
        db.select(Meeting.title).where(Meeting.title == "Monthly steering group")
    ).all()
    assert len(titles) == 12
    page = editor_client.get(f"{base}/meetings").get_data(as_text=True)
    assert page.count("Monthly steering group") == 12


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"count": "25"}, "at most 24 meetings"),
        ({"end_time": "13:00"}, "must end after it starts"),
        ({"start_time": "25:00"}, "24-hour format"),
    ],
)
def test_series_errors_save_nothing(editor_client, site_world, changes, message) -> None:
    base = _base(site_world)
    data = {
        "csrf_token": csrf_token(editor_client, f"{base}/meetings/series"),
        "kind": "steering_group", "title": "Too many", "day": "10/3/2027",
        "start_time": "14:00", "end_time": "15:00", "frequency": "monthly", "count": "6",
    }  # fmt: skip
    response = editor_client.post(f"{base}/meetings/series", data={**data, **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "There is a problem" in html
    assert 'value="Too many"' in html  # the person's input is kept
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_meeting_from_another_site_is_404(editor_client, site_world, meeting_world) -> None:
    other = meeting_world(site_world["other_site"])
    base = _base(site_world)
    for path in ("", "/agenda", "/agenda.docx", "/minutes.docx", ".ics", "/edit"):
        assert editor_client.get(f"{base}/meetings/{other['past'].id}{path}").status_code == 404
    assert editor_client.get(f"{base}/actions/{other['action'].id}/edit").status_code == 404


def test_action_owner_from_another_site_is_refused(
    editor_client, site_world, meeting_world
) -> None:
    world = meeting_world(site_world["site"])
    stranger = create_person(site_world["other_site"], "Stranger Danger")
    db.session.commit()
    base = _base(site_world)
    url = f"{base}/meetings/{world['past'].id}/actions"
    response = editor_client.post(
        url,
        data={
            "csrf_token": csrf_token(editor_client, f"{base}/meetings/{world['past'].id}"),
            "description": "Ring the GP practice", "owner_id": str(stranger.id),
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "owner from this site" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 1


def test_minutes_for_a_future_meeting_are_refused(editor_client, site_world, meeting_world) -> None:
    world = meeting_world(site_world["site"])
    base = _base(site_world)
    url = f"{base}/meetings/{world['future'].id}"
    response = editor_client.post(
        f"{url}/issue", data={"issue-csrf_token": csrf_token(editor_client, url)}
    )
    assert response.status_code == 422
    assert "has not happened yet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, world["future"].id).minutes_issued_at is None


def test_stale_minutes_get_409(editor_client, site_world, meeting_world) -> None:
    world = meeting_world(site_world["site"])
    base = _base(site_world)
    url = f"{base}/meetings/{world['past'].id}/agenda/{world['item'].id}/minutes"
    token = csrf_token(editor_client, url)
    version = world["item"].version
    first = editor_client.post(
        url, data={"csrf_token": token, "version": version, "notes": "Mine", "decisions": ""}
    )
    assert first.status_code == 302
    second = editor_client.post(
        url, data={"csrf_token": token, "version": version, "notes": "Theirs", "decisions": ""}
    )
    assert second.status_code == 409
    assert "Theirs" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AgendaItem, world["item"].id).notes == "Mine"


def test_issue_minutes_and_download(editor_client, site_world, meeting_world) -> None:
    world = meeting_world(site_world["site"])
    base = _base(site_world)
    url = f"{base}/meetings/{world['past'].id}"
    token = csrf_token(editor_client, url)
    editor_client.post(f"{url}/agenda/standard", data={"csrf_token": token})
    response = editor_client.post(f"{url}/issue", data={"issue-csrf_token": token})
    assert response.status_code == 302
    listing = editor_client.get(f"{base}/meetings").get_data(as_text=True)
    assert "30 days late" in listing
    agenda = docx.Document(BytesIO(editor_client.get(f"{url}/agenda.docx").data))
    headings = [p.text for p in agenda.paragraphs]
    assert "Agenda: Past steering group" in headings[0]
    assert any("Action log review" in h for h in headings)


def test_open_actions_carried_forward(editor_client, site_world, meeting_world) -> None:
    world = meeting_world(site_world["site"])
    base = _base(site_world)
    url = f"{base}/meetings/{world['future'].id}"
    editor_client.post(
        f"{url}/agenda/standard", data={"csrf_token": csrf_token(editor_client, url)}
    )
    page = editor_client.get(url).get_data(as_text=True)
    assert "Open actions carried forward" in page and "Draft the PID" in page


def test_inline_status_update_with_htmx(editor_client, site_world, meeting_world) -> None:
    world = meeting_world(site_world["site"])
    base = _base(site_world)
    action = world["action"]
    version = action.version  # what both people's pages were built from
    token = csrf_token(editor_client, f"{base}/actions")
    response = editor_client.post(
        f"{base}/actions/{action.id}/status",
        data={"csrf_token": token, "status": "done", "version": version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<tr") and "Saved: Done" in html
    stale = editor_client.post(
        f"{base}/actions/{action.id}/status",
        data={"csrf_token": token, "status": "dropped", "version": version},
    )
    assert stale.status_code == 409
    db.session.expire_all()
    saved = db.session.get(Action, action.id)
    assert saved.status == "done" and saved.completed_on == today()
    done = editor_client.get(f"{base}/actions?status=done").get_data(as_text=True)
    assert "Draft the PID" in done
    assert "Draft the PID" not in editor_client.get(f"{base}/actions").get_data(as_text=True)


def test_site_feed(editor_client, site_world, meeting_world) -> None:
    world = meeting_world(site_world["site"])
    response = editor_client.get(f"{_base(site_world)}/meetings.ics")
    assert response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    assert len(cal.events) == 2
    assert {str(e["SUMMARY"]) for e in cal.events} >= {"Next steering group (Riverside FLS)"}
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    assert world["future"].id


def _grow(site, meetings: int) -> None:
    people = [create_person(site, f"Person {n}") for n in range(5)]
    for n in range(meetings):
        start = utcnow() + timedelta(days=n - meetings // 2)
        meeting = create_meeting(site, start, title=f"Meeting {n}", chair_id=people[0].id)
        db.session.add_all(
            [
                AgendaItem(site_id=site.id, meeting_id=meeting.id, position=1, title="Item"),
                Action(
                    site_id=site.id,
                    meeting_id=meeting.id,
                    description=f"Action {n}",
                    owner_id=people[n % 5].id,
                    due_date=today(),
                ),
            ]  # fmt: skip
        )
    db.session.commit()


def test_pages_run_a_fixed_number_of_queries(editor_client, site_world, count_queries) -> None:
    site = site_world["site"]
    base = _base(site_world)
    counts = []
    for size in (5, 100):
        _grow(site, size if not counts else size - 5)
        meeting_id = db.session.scalar(db.select(db.func.max(Meeting.id)))
        with count_queries() as listing:
            editor_client.get(f"{base}/meetings")
        with count_queries() as one:
            assert editor_client.get(f"{base}/meetings/{meeting_id}").status_code == 200
        with count_queries() as log:
            editor_client.get(f"{base}/actions?status=")
        counts.append((len(listing), len(one), len(log)))
    print("query counts (list, meeting, action log):", counts)
    assert counts[0] == counts[1], counts


def test_the_action_log_saves_every_changed_row_with_one_button(
    editor_client, site_world, meeting_world
) -> None:
    world = meeting_world(site_world["site"])
    base = _base(site_world)
    action = world["action"]
    other = Action(site_id=site_world["site"].id, description="Book the room")
    db.session.add(other)
    db.session.commit()
    page = editor_client.get(f"{base}/actions").get_data(as_text=True)
    assert page.count(">Save status changes<") == 1 and ">Save<" not in page
    token = csrf_token(editor_client, f"{base}/actions")
    data = {
        "csrf_token": token,
        f"status-{action.id}": "done",
        f"version-{action.id}": action.version,
        f"status-{other.id}": "open",  # unchanged
        f"version-{other.id}": other.version,
    }
    response = editor_client.post(f"{base}/actions/statuses?status=open", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/actions?status=open"
    )
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == "done"
    assert db.session.get(Action, other.id).status == "open"
    # The same page submitted again is stale for the changed row: 409, nothing saved.
    data[f"status-{action.id}"] = "dropped"
    assert editor_client.post(f"{base}/actions/statuses", data=data).status_code == 409
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == "done"


def test_minutes_actions_appear_only_once_the_meeting_has_started(
    editor_client, site_world, meeting_world
) -> None:
    world = meeting_world(site_world["site"])
    base = _base(site_world)
    future = editor_client.get(f"{base}/meetings/{world['future'].id}").get_data(as_text=True)
    assert "Issue minutes" not in future and 'id="minutes-later"' in future
    assert "Minutes as a Word document" not in future
    past = editor_client.get(f"{base}/meetings/{world['past'].id}").get_data(as_text=True)
    assert "Issue minutes" in past
    assert 'Write minutes<span class="nhsuk-u-visually-hidden"> for Progress' in past
    assert "Change this item" in past  # move and remove sit in one menu a row
