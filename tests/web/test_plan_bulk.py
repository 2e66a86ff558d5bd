"""Owner, dates or status set on many tasks in one submit, without JavaScript: a history
row for each task changed, and a 409 when any ticked task changed meanwhile."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.extensions import db
from app.plan.models import Task
from tests.conftest import csrf_token


@pytest.fixture
def site(site_world, make_plan):  # noqa: ANN001, ANN201
    make_plan(site_world["site"])
    return site_world["site"]


def _tasks(site, phase: int = 2) -> list[Task]:  # noqa: ANN001
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Task).where(Task.site_id == site.id, Task.phase == phase).order_by(Task.id)
        )
    )


def _post(client, site, tasks, **fields):  # noqa: ANN001, ANN202
    path = f"/sites/{site.id}/plan/bulk?phase=2"
    data = {"csrf_token": csrf_token(client, path), "task_ids": [str(t.id) for t in tasks]}
    data |= {f"version-{t.id}": str(t.version) for t in tasks}
    return client.post(path, data=data | fields)


def test_one_owner_and_due_date_for_many_tasks(login, site_world, site, make_stakeholder) -> None:
    owner = make_stakeholder(site, name="Sam Owner")
    client = login(site_world["editor"])
    page = client.get(f"/sites/{site.id}/plan/bulk?phase=2").get_data(as_text=True)
    tasks = _tasks(site)
    assert page.count('name="task_ids"') == len(tasks) > 5
    chosen, others = tasks[:5], tasks[5:]
    response = _post(client, site, chosen, owner_id=str(owner.id), due_date="30/9/2027")
    assert response.status_code == 302 and "phase=2" in response.location
    after = {t.id: t for t in _tasks(site)}
    assert all(after[t.id].owner_id == owner.id for t in chosen)
    assert all(after[t.id].due_date == date(2027, 9, 30) for t in chosen)
    assert all(after[t.id].status == t.status for t in chosen)  # left as it is
    assert all(after[t.id].owner_id is None for t in others)
    rows = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.object_type == "task", AuditEvent.field.in_(["owner_id", "due_date"])
        )
    )
    assert rows == 10  # each task's owner and due date, one history row each


def test_a_task_changed_meanwhile_stops_the_change_with_409(login, site_world, site) -> None:
    client = login(site_world["editor"])
    tasks = _tasks(site)[:3]
    tasks[1].notes = "Someone else was here"
    db.session.commit()  # its version moves on; the page showed the old one
    stale = [*tasks[:1], *tasks[2:]]
    path = f"/sites/{site.id}/plan/bulk"
    data = {
        "csrf_token": csrf_token(client, path),
        "task_ids": [str(t.id) for t in tasks],
        "status": "in_progress",
    } | {f"version-{t.id}": str(t.version - (1 if t is tasks[1] else 0)) for t in tasks}
    response = client.post(path, data=data)
    assert response.status_code == 409
    assert all(t.status == "not_started" for t in _tasks(site)[:3])
    assert stale


def test_nothing_ticked_or_nothing_to_change_is_said_next_to_the_field(
    login, site_world, site
) -> None:
    client = login(site_world["editor"])
    none = _post(client, site, [], status="complete")
    assert none.status_code == 422 and "Tick at least one task" in none.get_data(as_text=True)
    nothing = _post(client, site, _tasks(site)[:2])
    assert nothing.status_code == 422
    assert "Choose what to change" in nothing.get_data(as_text=True)
    backwards = _post(client, site, _tasks(site)[:2], start_date="1/1/2030", due_date="1/1/2029")
    html = backwards.get_data(as_text=True)
    assert backwards.status_code == 422 and "The due date must be on or after" in html
    assert 'value="01/01/2030"' in html or 'value="1/1/2030"' in html  # typed, kept


def test_every_task_listed_at_once(login, site_world, site, make_stakeholder) -> None:
    owner = make_stakeholder(site, name="Sam Owner")
    client = login(site_world["editor"])
    tasks = _tasks(site)  # the page lists phase 2; nothing ticked, "every task" is
    path = f"/sites/{site.id}/plan/bulk?phase=2"
    data = {"csrf_token": csrf_token(client, path), "every": "y", "owner_id": str(owner.id)}
    data |= {f"version-{t.id}": str(t.version) for t in tasks}
    assert client.post(path, data=data).status_code == 302
    assert all(t.owner_id == owner.id for t in _tasks(site))
    assert all(t.owner_id is None for t in _tasks(site, phase=3))
