"""A new start date offers to move every task not started by the same shift, shows what
moves first, and leaves one start date on the plan and on the site's overview."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.plan.models import Plan, Task
from tests.conftest import csrf_token

START = date(2026, 3, 2)


@pytest.fixture
def site(site_world, make_plan):  # noqa: ANN001, ANN201
    site = site_world["site"]
    site.start_date = START
    make_plan(site, start=START)
    return site


def _settings(client, site, start: date):  # noqa: ANN001, ANN202
    path = f"/sites/{site.id}/settings"
    token = csrf_token(client, path)
    form = {
        "csrf_token": token,
        "name": site.name,
        "organisation": site.organisation,
        "nation": site.nation,
        "service_status": site.service_status,
        "start_date": f"{start.day}/{start.month}/{start.year}",
        "version": str(site.version),
    }
    return client.post(path, data=form)


def _tasks(site) -> list[Task]:  # noqa: ANN001
    db.session.expire_all()
    return list(db.session.scalars(select(Task).where(Task.site_id == site.id).order_by(Task.id)))


def test_a_later_start_moves_the_tasks_not_started_after_showing_them(
    login, site_world, site
) -> None:
    client = login(site_world["manager"])
    started = _tasks(site)[0]
    started.status = "in_progress"
    db.session.commit()
    old_dates = [(t.start_date, t.due_date) for t in _tasks(site)]
    new_start = START + timedelta(days=28)

    saved = _settings(client, site, new_start)
    assert saved.status_code == 302 and "/plan/start-date?start=2026-03-30" in saved.location
    assert [(t.start_date, t.due_date) for t in _tasks(site)] == old_dates  # nothing moved yet
    before = {t.id: (t.status, t.start_date, t.due_date) for t in _tasks(site)}

    preview = client.get(saved.location).get_data(as_text=True)
    moving = sum(1 for s, a, b in before.values() if s == "not_started" and (a or b))
    assert "From 2 Mar 2026 to <strong>30 Mar 2026</strong>: 28 days later." in preview
    assert f"{moving} tasks not started</strong> would move" in preview
    staying = len(before) - moving
    assert f"{staying} task{'s' if staying != 1 else ''} already started" in preview

    token = csrf_token(client, saved.location)
    done = client.post(
        saved.location, data={"csrf_token": token, "start": "2026-03-30", "move": "move"}
    )
    assert done.status_code == 302
    for task in _tasks(site):
        status, start, due = before[task.id]
        shift = timedelta(days=28) if status == "not_started" else timedelta(0)
        assert (task.start_date, task.due_date) == (
            start + shift if start else None,
            due + shift if due else None,
        ), task.title
    plan = db.session.scalar(select(Plan).where(Plan.site_id == site.id))
    assert plan.start_date == site.start_date == new_start
    header = client.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    about = client.get(f"/sites/{site.id}/").get_data(as_text=True)
    assert "started 30 Mar 2026" in header and "30 Mar 2026" in about


def test_changing_the_date_only_keeps_every_task(login, site_world, site) -> None:
    client = login(site_world["manager"])
    before = [(t.start_date, t.due_date) for t in _tasks(site)]
    path = f"/sites/{site.id}/plan/start-date?start=2026-02-02"
    token = csrf_token(client, path)
    client.post(path, data={"csrf_token": token, "start": "2026-02-02", "move": "keep"})
    assert [(t.start_date, t.due_date) for t in _tasks(site)] == before
    db.session.expire_all()
    assert site.start_date == date(2026, 2, 2)
    assert db.session.scalar(select(Plan.start_date)) == date(2026, 2, 2)


def test_rebuilding_the_plan_keeps_one_start_date(login, site_world, site) -> None:
    client = login(site_world["manager"])
    path = f"/sites/{site.id}/plan/rebuild"
    token = csrf_token(client, path)
    client.post(path, data={"csrf_token": token, "service_kind": "new", "start_date": "6/4/2026"})
    db.session.expire_all()
    assert site.start_date == db.session.scalar(select(Plan.start_date)) == date(2026, 4, 6)
