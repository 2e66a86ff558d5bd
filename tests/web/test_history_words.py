"""The site history reads in words: labels, names and UK dates, never codes or "#ids"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import unescape

import pytest

from app.business_case.models import BusinessCase
from app.core.audit import AuditEvent
from app.core.dates import utcnow
from app.extensions import db
from app.gateways.models import Gateway
from app.meetings.models import Invitee, Meeting
from app.needs.models import NeedsVersion
from app.people.models import Person
from app.plan.models import Task
from app.risks.models import RaidEntry
from app.sites.history import describe
from tests.conftest import sign_in


@pytest.fixture
def site(site_world):  # noqa: ANN001, ANN201
    return site_world["site"]


def _history(client, site_world, query: str = "") -> str:  # noqa: ANN001
    sign_in(client, site_world["viewer"])
    page = client.get(f"/sites/{site_world['site'].id}/history{query}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _meeting(site, title: str, starts: datetime, kind: str = "project_team") -> Meeting:  # noqa: ANN001
    meeting = Meeting(
        site_id=site.id,
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def test_history_shows_status_labels_not_codes(client, site_world, site) -> None:
    gateway = Gateway(site_id=site.id, phase=1, status="not_ready")
    db.session.add(gateway)
    db.session.commit()
    gateway.status = "review_requested"
    db.session.commit()
    html = _history(client, site_world)
    assert "Status: Not ready → Review requested" in html
    assert "Gateway: Phase 1: Start Out" in html
    assert "review_requested" not in html and "not_ready" not in html


def test_history_names_meetings_and_people_not_ids(client, site_world, site) -> None:
    person = Person(site_id=site.id, name="Dr Tom Evans")
    db.session.add(person)
    meeting = _meeting(site, "Steering group", datetime(2026, 3, 3, 14, 0), "steering_group")
    db.session.add(Invitee(site_id=site.id, meeting_id=meeting.id, person_id=person.id))
    db.session.commit()
    html = _history(client, site_world)
    assert "meeting ‘Steering group, 3 Mar 2026’, Dr Tom Evans" in html
    assert "#" + str(meeting.id) not in html.split("<main")[1]


def test_history_owner_change_names_the_person_and_dates_are_uk(client, site_world, site) -> None:
    person = Person(site_id=site.id, name="Grace Okafor")
    task = Task(site_id=site.id, phase=1, title="Visit an FLS", status="not_started")
    db.session.add_all([person, task])
    db.session.commit()
    task.owner_id, task.due_date, task.status = person.id, date(2026, 3, 3), "in_progress"
    db.session.commit()
    html = _history(client, site_world)
    assert "Owner: (blank) → Grace Okafor" in html
    assert "Due date: (blank) → 3 Mar 2026" in html
    assert "Status: Not started → In progress" in html
    assert "2026-03-03" not in html and "owner_id" not in html.lower()


def test_history_says_erased_person_for_someone_erased(client, site_world, site) -> None:
    person = Person(site_id=site.id, name="Jo Bloggs")
    task = Task(site_id=site.id, phase=1, title="Visit an FLS")
    db.session.add_all([person, task])
    db.session.commit()
    task.owner_id = person.id
    db.session.commit()
    person.erased, person.name = True, "Erased"
    db.session.commit()
    html = _history(client, site_world)
    assert "Owner: (blank) → erased person" in html
    assert "Person: erased person" in html
    assert "Jo Bloggs" not in html


def test_history_since_the_last_steering_group(client, site_world, site) -> None:
    now = utcnow()
    _meeting(site, "Steering group", now - timedelta(days=10), "steering_group")
    _meeting(site, "Team meeting", now - timedelta(days=3))  # not a steering group
    for days, label in ((20, "Before the meeting"), (5, "After the meeting")):
        db.session.add(
            AuditEvent(
                at=now - timedelta(days=days),
                site_id=site.id,
                action="create",
                object_type="task",
                object_id=1,
                label=label,
            )
        )
    db.session.commit()
    everything = _history(client, site_world)
    assert "Before the meeting" in everything and "After the meeting" in everything
    assert "since=steering" in everything
    since = _history(client, site_world, "?since=steering")
    assert "After the meeting" in since and "Before the meeting" not in since


def test_history_since_steering_group_with_none_held_says_so(client, site_world) -> None:
    html = _history(client, site_world, "?since=steering")
    assert "no steering-group meeting has been held yet" in html


def test_history_queries_do_not_grow_with_rows(site, count_queries) -> None:
    def events(count: int) -> list[AuditEvent]:
        people = [Person(site_id=site.id, name=f"P{n}") for n in range(count)]
        db.session.add_all(people)
        db.session.flush()
        tasks = [
            Task(site_id=site.id, phase=1, title=f"T{n}", owner_id=p.id)
            for n, p in enumerate(people)
        ]
        db.session.add_all(tasks)
        db.session.commit()
        return list(db.session.scalars(db.select(AuditEvent)))

    small = events(3)
    with count_queries() as few:
        describe(small, site.id)
    large = events(30)
    with count_queries() as many:
        describe(large, site.id)
    assert len(many) == len(few)


def test_person_page_history_shows_labels_not_codes(client, site_world, site) -> None:
    person = Person(site_id=site.id, name="Ann Nurse", engagement="identified")
    db.session.add(person)
    db.session.commit()
    person.engagement = "not_interested"
    db.session.commit()
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/people/{person.id}").get_data(as_text=True)
    assert "Engagement: Identified → Not interested" in html and "not_interested" not in html


def test_risk_page_history_shows_labels_not_codes(client, site_world, site) -> None:
    from app.risks.models import RaidEntry

    entry = RaidEntry(site_id=site.id, kind="risk", title="Funding", status="open")
    db.session.add(entry)
    db.session.commit()
    entry.status, entry.review_on = "closed", date(2026, 3, 3)
    db.session.commit()
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/risks/{entry.id}").get_data(as_text=True)
    assert "Status: Open → Closed" in html and "Review on: (blank) → 3 Mar 2026" in html


def test_business_case_history_reads_labels_names_and_options_not_codes(
    client, site_world, site
) -> None:
    decision = RaidEntry(site_id=site.id, kind="decision", title="Fund a 12-month FLS pilot")
    case = BusinessCase(site_id=site.id)
    db.session.add_all([decision, case])
    db.session.commit()
    case.preferred = "own"
    case.own_nurse_wte = 3.0
    case.own_setup = 12000
    case.decision_process = "The ICB's investment panel"
    case.decision_id = decision.id
    db.session.commit()
    html = unescape(_history(client, site_world))
    assert "business case: business case" not in html.lower()
    assert "Recommended option: A full fracture liaison service → The site's own option" in html
    assert "Your option: specialist nurses (WTE): (blank) → 3.0" in html
    assert "Your option: set-up cost (£, one-off): (blank) → 12000" in html
    assert "How they decide: (blank) → The ICB's investment panel" in html
    assert "The approval decision: (blank) → Fund a 12-month FLS pilot" in html
    assert "Own nurse wte" not in html and "Decision id" not in html


def test_history_names_needs_figures_by_their_note_not_a_row_id(client, site_world, site) -> None:
    version = NeedsVersion(site_id=site.id, change="Figures from the 2025 audit")
    db.session.add(version)
    db.session.commit()
    html = unescape(_history(client, site_world))
    assert "Needs figures: Figures from the 2025 audit" in html
    assert f"#{version.id}" not in html


@pytest.mark.parametrize(
    ("field", "stored"),
    [
        ("title", "2026-02-30"),  # looks like a date, is not one
        ("title", "2026-13-01T25:99"),
        ("owner_id", "1111111111111111111111111"),  # an id no database column holds
        ("owner_id", "²"),  # a digit to str.isdigit, not to int()
        ("phase", "99"),  # no such phase
        ("phase", "٣"),
    ],
)
def test_the_history_page_shows_any_stored_value(client, site_world, site, field, stored) -> None:
    """Issue 28 item 10: a task titled 2026-02-30 made the history answer 500 for everyone."""
    task = Task(site_id=site.id, phase=1, title="First", status="not_started")
    db.session.add(task)
    db.session.commit()
    db.session.add(
        AuditEvent(
            at=utcnow(),
            site_id=site.id,
            action="update",
            object_type="task",
            object_id=task.id,
            label=f"task #{task.id} and task #{stored}",
            field=field,
            old_value="First",
            new_value=stored,
        )
    )
    db.session.commit()
    html = unescape(_history(client, site_world))
    assert f"→ {stored}" in html or "→ a deleted task" in html


def test_a_task_titled_like_an_impossible_date_keeps_the_history_readable(
    client, site_world, site
) -> None:
    task = Task(site_id=site.id, phase=1, title="First", status="not_started")
    db.session.add(task)
    db.session.commit()
    task.title = "2026-02-30"
    db.session.commit()
    html = unescape(_history(client, site_world))
    assert "First → 2026-02-30" in html
