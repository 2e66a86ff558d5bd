"""A NUL character typed or pasted into a form or a link is dropped before any view runs:
PostgreSQL cannot store it (it was a 500 on save) and no text needs it."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.plan.models import Task, TaskComment
from tests.conftest import csrf_token


def test_nul_in_a_comment_is_dropped_and_the_rest_saved(login, site_world, make_plan) -> None:
    site = site_world["site"]
    make_plan(site)
    task = db.session.scalar(select(Task).where(Task.site_id == site.id).limit(1))
    client = login(site_world["editor"])
    page = f"/sites/{site.id}/tasks/{task.id}"
    response = client.post(
        f"{page}/comments",
        data={"body": "Checked with\x00 the team", "csrf_token": csrf_token(client, page)},
    )
    assert response.status_code == 302
    saved = db.session.scalar(select(TaskComment.body).where(TaskComment.task_id == task.id))
    assert saved == "Checked with the team"


def test_nul_in_a_search_is_dropped(login, site_world, make_plan) -> None:
    site = site_world["site"]
    make_plan(site)
    response = login(site_world["viewer"]).get(f"/sites/{site.id}/search?q=plan%00")
    assert response.status_code == 200
