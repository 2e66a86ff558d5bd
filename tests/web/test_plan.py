"""The plan pages as people use them: create, filter, edit inline, task page, bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.dates import today
from app.extensions import db
from app.plan.models import Plan, Task, TaskComment
from app.toolkit import get_toolkit
from tests.conftest import csrf_token


def _token(client, site) -> str:  # noqa: ANN001
    return csrf_token(client, f"/sites/{site.id}/plan")


def _count(site) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count(Task.id)).where(Task.site_id == site.id))


def test_empty_state_then_manager_creates_plan(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["manager"])
    page = client.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    assert "has no plan yet" in page and "Create the plan" in page
    bad = client.post(
        f"/sites/{site.id}/plan",
        data={"start_date": "31/02/2026", "csrf_token": _token(client, site)},
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Choose a new service" in text and "31/02/2026" in text
    assert db.session.scalar(select(func.count(Plan.id))) == 0
    ok = client.post(
        f"/sites/{site.id}/plan",
        data={
            "service_kind": "improving",
            "start_date": "5/1/2026",
            "csrf_token": _token(client, site),
        },
    )
    assert ok.status_code == 302
    assert _count(site) == len(get_toolkit().tasks_for("improving"))
    page = client.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    assert "Phase 1: Start Out" in page and "0 of" in page


def test_editor_cannot_create_plan(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    response = client.post(
        f"/sites/{site.id}/plan",
        data={"service_kind": "new", "start_date": "5/1/2026", "csrf_token": _token(client, site)},
    )
    assert response.status_code == 403
    assert _count(site) == 0


@pytest.fixture
def planned(site_world, make_plan, make_person):  # noqa: ANN001, ANN201
    site = site_world["site"]
    make_plan(site)
    owner = make_person(site, "Olivia Owner", user=site_world["editor"])
    return site, owner


def test_filters_combine_and_live_in_the_url(login, site_world, planned, make_task) -> None:
    site, owner = planned
    make_task(
        site,
        phase=2,
        title="Late essential",
        essential=True,
        owner_id=owner.id,
        due_date=today() - timedelta(days=3),
        status="in_progress",
    )
    make_task(site, phase=2, title="Late optional", due_date=today() - timedelta(days=3))
    client = login(site_world["viewer"])
    page = client.get(f"/sites/{site.id}/plan?overdue=1&essential=1").get_data(as_text=True)
    assert "Late essential" in page and "Late optional" not in page
    assert 'id="f-overdue" name="overdue" type="checkbox" value="1" checked' in page
    page = client.get(f"/sites/{site.id}/plan?owner={owner.id}").get_data(as_text=True)
    assert "Showing 1 of" in page


def test_inline_edit_with_htmx_updates_row_and_phase(login, site_world, planned, make_task) -> None:
    site, owner = planned
    task = make_task(
        site,
        phase=2,
        title="Map the pathway",
        essential=True,
        start_date=today() - timedelta(days=20),
        due_date=today() - timedelta(days=2),
    )
    client = login(site_world["editor"])
    before = client.get(f"/sites/{site.id}/plan?overdue=1").get_data(as_text=True)
    assert re.search(r"Phase 2: Define and Scope.*?Red", before, re.S)
    response = client.post(
        f"/sites/{site.id}/tasks/{task.id}/inline",
        data={
            "status": "complete",
            "owner_id": str(owner.id),
            "start_date": "",
            "due_date": task.due_date.strftime("%d/%m/%Y"),
            "version": task.version,
            "filters": "overdue=1",
            "csrf_token": _token(client, site),
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and 'id="phase-2"' in html
    assert f'id="task-{task.id}"' in html and "Complete" in html  # kept despite the filter
    db.session.refresh(task)
    assert task.status == "complete" and task.completed_date == today()
    assert task.owner_id == owner.id and task.start_date is None


def test_inline_edit_without_js_redirects_and_bad_dates_are_kept(
    login, site_world, planned, make_task
) -> None:
    site, _owner = planned
    task = make_task(site, title="Dates task")
    client = login(site_world["editor"])
    ok = client.post(
        f"/sites/{site.id}/tasks/{task.id}/inline",
        data={
            "status": "in_progress",
            "owner_id": "None",
            "start_date": "1/3/2026",
            "due_date": "20/3/2026",
            "version": task.version,
            "filters": "phase=1",
            "csrf_token": _token(client, site),
        },
    )
    assert ok.status_code == 302 and "phase=1" in ok.headers["Location"]
    db.session.refresh(task)
    bad = client.post(
        f"/sites/{site.id}/tasks/{task.id}/inline",
        data={
            "status": "in_progress",
            "owner_id": "None",
            "start_date": "20/3/2026",
            "due_date": "1/3/2026",
            "version": task.version,
            "csrf_token": _token(client, site),
        },
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "The due date must be on or after the start date." in text and "20/03/2026" in text
    db.session.refresh(task)
    assert task.due_date.isoformat() == "2026-03-20"


def test_stale_inline_edit_is_a_409_showing_both(login, site_world, planned, make_task) -> None:
    site, _owner = planned
    task = make_task(site, title="Contested task")
    client = login(site_world["editor"])
    old_version = task.version
    task.status = "blocked"
    db.session.commit()
    response = client.post(
        f"/sites/{site.id}/tasks/{task.id}/inline",
        data={
            "status": "complete",
            "owner_id": "None",
            "version": old_version,
            "csrf_token": _token(client, site),
        },
    )
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Blocked" in text and "Complete" in text
    db.session.refresh(task)
    assert task.status == "blocked"
    # From the plan page (htmx), the 409 page replaces the main content, not one row.
    again = client.post(
        f"/sites/{site.id}/tasks/{task.id}/inline",
        data={"status": "complete", "owner_id": "None", "version": old_version,
              "csrf_token": _token(client, site)},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert again.status_code == 409
    assert again.headers["HX-Retarget"] == "#maincontent"
    assert 'id="maincontent"' in again.get_data(as_text=True)


def test_full_edit_bad_input(login, site_world, planned, make_task, make_person) -> None:
    site, _owner = planned
    task = make_task(site, title="Edit me")
    stranger = make_person(site_world["other_site"], "Somebody Else")
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/tasks/{task.id}/edit"
    base = {
        "title": "Edit me",
        "phase": "1",
        "status": "complete",
        "owner_id": "None",
        "predecessor_id": "None",
        "reported_rag": "",
        "version": task.version,
    }
    cases = [
        ({"title": "  "}, "Enter the task"),
        (
            {"completed_date": (today() + timedelta(days=2)).strftime("%d/%m/%Y")},
            "cannot be in the future",
        ),
        ({"owner_id": str(stranger.id)}, "Choose an owner from this site"),
        ({"start_date": "10/3/2026", "due_date": "1/3/2026"}, "on or after the start date"),
        ({"reported_rag": "green"}, "Say why you report"),
    ]
    for change, message in cases:
        data = base | change | {"csrf_token": csrf_token(client, url)}
        response = client.post(url, data=data)
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    db.session.refresh(task)
    assert task.title == "Edit me" and task.status == "not_started"


def test_task_of_another_site_is_404(login, site_world, make_task) -> None:
    other_task = make_task(site_world["other_site"], title="Not yours")
    client = login(site_world["editor"])
    site = site_world["site"]
    assert client.get(f"/sites/{site.id}/tasks/{other_task.id}").status_code == 404
    assert client.get(f"/sites/{site.id}/tasks/{other_task.id}/edit").status_code == 404


def test_task_page_shows_history_with_names_and_uk_dates(
    login, site_world, planned, make_task
) -> None:
    site, owner = planned
    task = make_task(site, title="History task")
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/tasks/{task.id}/edit"
    response = client.post(
        url,
        data={
            "title": "History task",
            "phase": "2",
            "status": "in_progress",
            "owner_id": str(owner.id),
            "due_date": "27/3/2026",
            "predecessor_id": "None",
            "reported_rag": "green",
            "reported_rag_reason": "Agreed with the sponsor",
            "version": task.version,
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 302
    client.post(
        f"/sites/{site.id}/tasks/{task.id}/comments",
        data={"body": "Chased the analyst", "csrf_token": csrf_token(client, url)},
    )
    page = client.get(f"/sites/{site.id}/tasks/{task.id}").get_data(as_text=True)
    assert "Olivia Owner" in page and "27 Mar 2026" in page and "Phase 2: Define and Scope" in page
    assert "Chased the analyst" in page and "Editor Person" in page
    assert "2026-03-27" not in page


def test_delete_asks_first_and_stays_in_history(login, site_world, planned, make_task) -> None:
    site, _owner = planned
    task = make_task(site, title="Doomed task")
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/tasks/{task.id}/delete"
    assert "Yes, delete this task" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    assert db.session.get(Task, task.id) is None
    history = client.get(f"/sites/{site.id}/history").get_data(as_text=True)
    assert "Doomed task" in history


def test_move_within_phase(login, site_world, make_task) -> None:
    site = site_world["site"]
    first = make_task(site, title="First", position=1)
    second = make_task(site, title="Second", position=2)
    client = login(site_world["editor"])
    client.post(
        f"/sites/{site.id}/tasks/{second.id}/move",
        data={"direction": "up", "csrf_token": _token(client, site)},
    )
    db.session.refresh(first)
    db.session.refresh(second)
    assert second.position < first.position


def test_empty_comment_refused(login, site_world, make_task) -> None:
    site = site_world["site"]
    task = make_task(site)
    client = login(site_world["editor"])
    response = client.post(
        f"/sites/{site.id}/tasks/{task.id}/comments",
        data={"body": " ", "csrf_token": _token(client, site)},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(TaskComment.id))) == 0


def test_my_tasks_overdue_first(login, site_world, planned, make_task) -> None:
    site, owner = planned
    make_task(site, title="Later one", owner_id=owner.id, due_date=today() + timedelta(days=30))
    make_task(site, title="Overdue one", owner_id=owner.id, due_date=today() - timedelta(days=3))
    make_task(site, title="Done one", owner_id=owner.id, status="complete")
    page = login(site_world["editor"]).get("/my-tasks").get_data(as_text=True)
    assert page.index("Overdue one") < page.index("Later one")
    assert "Done one" not in page
    assert "Overdue one" not in login(site_world["manager"]).get("/my-tasks").get_data(as_text=True)


def test_timeline_and_overview(login, site_world, planned) -> None:
    site, _owner = planned
    client = login(site_world["viewer"])
    page = client.get(f"/sites/{site.id}/timeline").get_data(as_text=True)
    assert '<table class="app-gantt" role="img"' in page and "Today" in page
    assert "size: A4 landscape" in page and "<polygon" in page
    overview = client.get(f"/sites/{site.id}/").get_data(as_text=True)
    assert "Current phase" in overview and "Next steps" in overview


def test_plan_page_query_count_is_fixed(login, site_world, make_person, count_queries) -> None:
    import random

    from app.demo import BenchContext
    from app.plan.demo import bench_tasks

    site = site_world["site"]
    make_person(site, "A")
    make_person(site, "B")
    client = login(site_world["editor"])
    counts = []
    for size in (60, 240):  # 60 tasks, then 300
        bench_tasks(BenchContext(site=site, tasks=size, rng=random.Random(size), today=today()))
        db.session.commit()
        with count_queries() as queries:
            response = client.get(f"/sites/{site.id}/plan")
            assert response.status_code == 200
        counts.append(len(queries))
    assert _count(site) == 300
    assert counts[0] == counts[1], counts
    # One compact row a task: 300 tasks stay well under half a megabyte (2.7 MB with forms).
    assert len(response.data) < 450_000, len(response.data)


def test_each_task_is_one_compact_row(login, site_world, planned, make_task) -> None:
    site, owner = planned
    task = make_task(
        site,
        phase=2,
        title="Compact task",
        essential=True,
        owner_id=owner.id,
        status="in_progress",
        start_date=today().replace(day=3) - timedelta(days=60),
        due_date=today() - timedelta(days=2),
        reported_rag="green",
    )
    client = login(site_world["editor"])
    html = client.get(f"/sites/{site.id}/plan?overdue=1").get_data(as_text=True)
    row = re.search(rf'<tr class="nhsuk-table__row" id="task-{task.id}">(.*?)</tr>', html, re.S)
    assert row, "the task's row is missing"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)
    text = [re.sub(r"<[^>]+>", "", c).split() for c in cells]
    assert text[0][:2] == ["Compact", "task"] and "Essential" in text[0]
    assert " ".join(text[1]) == "Olivia Owner"
    assert " ".join(text[3]).startswith(f"{task.due_date.day} {task.due_date:%b %Y}")
    assert " ".join(text[4]) == "In progress"
    assert text[5][0] == "Red" and "Reported" in text[5]  # the dates first, the report beside
    assert f"?edit={task.id}&amp;overdue=1#task-{task.id}" in cells[6]
    assert f'Edit<span class="nhsuk-u-visually-hidden"> {task.title}</span>' in cells[6]
    # No form controls in the rows: only the four filter selects are on the page.
    assert html.count("<select") == 4 and 'name="due_date"' not in html


def test_edit_row_with_htmx_and_without(login, site_world, planned, make_task) -> None:
    site, owner = planned
    task = make_task(site, phase=1, title="Row to edit", owner_id=owner.id)
    other = make_task(site, phase=1, title="Row left alone")
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/plan?edit={task.id}&phase=1"
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith("<tr") and f'id="task-{task.id}"' in fragment
    for name in ("status", "owner_id", "start_date", "due_date"):
        assert f'id="{name}-{task.id}" name="{name}" form="edit-{task.id}"' in fragment
    assert 'name="filters" value="phase=1"' in fragment
    assert f'Save<span class="nhsuk-u-visually-hidden"> {task.title}</span>' in fragment
    assert f"move {task.title} up" in fragment
    assert f'hx-get="/sites/{site.id}/plan?row={task.id}&amp;phase=1"' in fragment  # Cancel
    back = client.get(f"/sites/{site.id}/plan?row={task.id}", headers={"HX-Request": "true"})
    text = back.get_data(as_text=True)
    assert text.lstrip().startswith("<tr") and "<select" not in text and "Edit<span" in text
    # Without JavaScript the Edit link is a full page with that one row as a form.
    page = client.get(url).get_data(as_text=True)
    assert "<h1>Project plan</h1>" in page and f'id="status-{task.id}"' in page
    assert f'id="status-{other.id}"' not in page and page.count('name="status" form=') == 1
    # Viewers only read: the same link shows the plain table.
    viewer = login(site_world["viewer"]).get(url).get_data(as_text=True)
    assert f'id="status-{task.id}"' not in viewer and "Edit<span" not in viewer


def test_failed_htmx_save_keeps_the_row_as_a_form(login, site_world, planned, make_task) -> None:
    site, _owner = planned
    task = make_task(site, phase=1, title="Bad dates")
    client = login(site_world["editor"])
    response = client.post(
        f"/sites/{site.id}/tasks/{task.id}/inline",
        data={
            "status": "in_progress",
            "owner_id": "None",
            "start_date": "20/3/2026",
            "due_date": "1/3/2026",
            "version": task.version,
            "csrf_token": _token(client, site),
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="due_date-{task.id}-error"' in html and 'value="01/03/2026"' in html
    assert f'aria-describedby="due_date-{task.id}-error dates-hint-{task.id}" autofocus' in html


def test_plan_rows_escape_what_people_typed(login, site_world, make_plan, make_task) -> None:
    """The rows are drawn in Python (app/plan/rows.py): titles and names stay text."""
    site = site_world["site"]
    make_plan(site)
    task = make_task(site, title='<script>alert("x")</script> & more', reported_rag="green")
    client = login(site_world["editor"])
    html = client.get(f"/sites/{site.id}/plan?q=script").get_data(as_text=True)
    row = html[html.index(f'id="task-{task.id}"') :]
    row = row[: row.index("</tr>")]
    assert "<script>" not in row
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in row
    # The Edit link keeps the filters, escaped in the attribute.
    assert f'href="/sites/{site.id}/plan?edit={task.id}&amp;q=script#task-{task.id}"' in row
