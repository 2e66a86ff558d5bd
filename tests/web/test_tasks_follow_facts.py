"""Essential tasks whose outcome the app can see complete themselves, say so in their
history, reopen when the fact stops holding, and are not listed twice at the gateway."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.extensions import db
from app.gateways.readiness import criteria
from app.people.groups import ensure_standard_groups
from app.people.models import Group, GroupMember
from app.plan.models import Task
from tests.conftest import csrf_token


@pytest.fixture
def site(site_world, make_plan):  # noqa: ANN001, ANN201
    make_plan(site_world["site"])
    ensure_standard_groups(site_world["site"])
    db.session.commit()
    return site_world["site"]


def _task(site, key: str) -> Task:  # noqa: ANN001
    db.session.expire_all()
    return db.session.scalar(select(Task).where(Task.site_id == site.id, Task.library_key == key))


def _add_to_team(client, site, person, role: str):  # noqa: ANN001, ANN202
    team = db.session.scalar(
        select(Group).where(Group.site_id == site.id, Group.kind == "project_team")
    )
    token = csrf_token(client, f"/sites/{site.id}/groups/{team.id}")
    return client.post(
        f"/sites/{site.id}/groups/{team.id}",
        data={"csrf_token": token, "person_ids": str(person.id), "team_role": role},
    )


def test_naming_the_champion_completes_the_task_and_removing_them_reopens_it(
    login, site_world, site, make_stakeholder
) -> None:
    client = login(site_world["editor"])
    evans = make_stakeholder(site, name="Dr Evans")
    assert _task(site, "agree-clinical-champion").status == "not_started"

    assert _add_to_team(client, site, evans, "clinical-lead").status_code == 302
    task = _task(site, "agree-clinical-champion")
    assert (task.status, task.completed_by_app) == ("complete", True)
    page = client.get(f"/sites/{site.id}/tasks/{task.id}").get_data(as_text=True)
    assert "The system" in page and "Completed by the app" in page
    status_rows = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "task",
            AuditEvent.object_id == task.id,
            AuditEvent.field == "status",
        )
    ).all()
    assert [(r.new_value, r.user_id) for r in status_rows] == [("complete", None)]

    member = db.session.scalar(select(GroupMember).where(GroupMember.person_id == evans.id))
    team_id = member.group_id
    token = csrf_token(client, f"/sites/{site.id}/groups/{team_id}")
    client.post(
        f"/sites/{site.id}/groups/{team_id}/members/{member.id}/remove",
        data={"csrf_token": token},
    )
    task = _task(site, "agree-clinical-champion")
    assert (task.status, task.completed_by_app) == ("in_progress", False)


def test_a_completion_made_by_a_person_is_never_undone(login, site_world, site) -> None:
    task = _task(site, "confirm-sponsor")
    client = login(site_world["manager"])
    # the site has a sponsor: the next change completes the task...
    token = csrf_token(client, f"/sites/{site.id}/gateways/1")
    client.post(
        f"/sites/{site.id}/gateways/1/criteria/start-out.stakeholders-identified",
        data={"csrf_token": token, "state": "not_met", "note": ""},
    )
    assert _task(site, "confirm-sponsor").status == "complete"
    # ...while a task a person completed stays complete though its fact does not hold
    book = _task(site, "book-meetings-calendar")
    book.status = "complete"
    db.session.commit()
    client.post(
        f"/sites/{site.id}/gateways/1/criteria/start-out.stakeholders-identified",
        data={"csrf_token": token, "state": "not_met", "note": "", "version": "1"},
    )
    assert _task(site, "book-meetings-calendar").status == "complete"
    assert task.id


def test_a_gateway_lists_each_fact_once(site) -> None:
    texts = [c.text for c in criteria(site, 1).criteria]
    assert "Essential task: Name a person for every project team role" not in texts
    assert "Essential task: Get the PID agreed by the sponsor" not in texts
    assert len(texts) == len(set(texts))
    # Start Out: 6 outcomes and the one essential task no outcome already shows (patients)
    assert len(texts) == 7
    assert "Essential task: Invite at least two patients or carers to take part" in texts


def test_the_overview_stops_asking_for_what_the_app_knows(login, site_world, site) -> None:
    """The site has a sponsor: once anything changes, 'Confirm a project sponsor' is done
    and leaves the overview's next steps and overdue list."""
    client = login(site_world["manager"])
    overview = f"/sites/{site.id}/"
    assert "Confirm a project sponsor" in client.get(overview).get_data(as_text=True)
    token = csrf_token(client, f"/sites/{site.id}/gateways/1")
    client.post(
        f"/sites/{site.id}/gateways/1/criteria/start-out.stakeholders-identified",
        data={"csrf_token": token, "state": "not_met", "note": ""},
    )
    assert "Confirm a project sponsor" not in client.get(overview).get_data(as_text=True)


def test_a_task_another_request_updated_first_does_not_fail_the_change(
    login, site_world, site, monkeypatch
) -> None:
    """Two people saving at once both bring the tasks in line; the loser's change stands."""
    from sqlalchemy.orm.exc import StaleDataError

    from app.gateways import task_facts

    def raced(_site):  # noqa: ANN001, ANN202
        raise StaleDataError("tasks updated by another request")

    monkeypatch.setattr(task_facts, "follow_facts", raced)
    client = login(site_world["manager"])
    token = csrf_token(client, f"/sites/{site.id}/gateways/1")
    response = client.post(
        f"/sites/{site.id}/gateways/1/criteria/start-out.stakeholders-identified",
        data={"csrf_token": token, "state": "not_met", "note": "Listing them now"},
    )
    assert response.status_code == 302
    assert "Listing them now" in client.get(f"/sites/{site.id}/gateways/1").text
