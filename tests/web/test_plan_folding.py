"""The plan opens on the current phase and the open tasks (issue #32 item 5): finished and
not yet started phases folded behind one line, done tasks folded beneath the open ones,
the filters behind one control until a filter is set, a filtered view unfolded."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from app.core.dates import today
from app.extensions import db
from app.gateways.models import Gateway, GatewayDecision
from app.plan.models import Plan
from tests.conftest import csrf_token

SIGNED_AT = datetime(2026, 3, 3, 11, 0)  # naive UTC, 11:00 in London


def _sections(html: str) -> dict[int, str]:
    """{phase number: the markup of its section}."""
    found = re.findall(r'(<section id="phase-(\d+)".*?</section>)', html, re.S)
    return {int(number): markup for markup, number in found}


def _is_open(section: str) -> bool:
    return 'data-phase-open="true"' in section and "app-phase-fold" not in section


def _done_fold(section: str) -> str:
    """The markup of the phase's folded done tasks ('' when it has none)."""
    match = re.search(r'<details class="nhsuk-details app-done-tasks.*?</details>', section, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def plan_site(site_world, make_task) -> dict:
    """Phase 1 finished and signed off; phase 2 current with open and done work; phase 3 not
    started yet; phase 4 later but with an overdue task; Manage and Lead not started."""
    site = site_world["site"]
    db.session.add(Plan(site_id=site.id, service_kind="new", start_date=today()))
    db.session.add(Gateway(site_id=site.id, phase=1, status="signed_off"))
    db.session.add(
        GatewayDecision(site_id=site.id, phase=1, action="signed_off", at=SIGNED_AT, snapshot=[])
    )
    past, future = today() - timedelta(days=30), today() + timedelta(days=30)
    tasks = {
        "kick_off": make_task(site, phase=1, title="Hold the kick-off", status="complete"),
        "sponsor": make_task(site, phase=1, title="Name a sponsor", status="not_applicable"),
        "pathway": make_task(
            site, phase=2, title="Map the pathway", status="in_progress", start_date=past
        ),
        "scope": make_task(site, phase=2, title="Agree the scope", status="complete"),
        "design": make_task(
            site, phase=3, title="Design the service", start_date=future, due_date=future
        ),
        "late": make_task(
            site, phase=4, title="Book the pilot clinic", start_date=past, due_date=past
        ),
        "report": make_task(site, phase=0, title="Send a highlight report", start_date=future),
    }
    db.session.commit()
    return {"site": site, **tasks}


def test_the_current_phase_opens_and_finished_phases_fold(login, site_world, plan_site) -> None:
    site = plan_site["site"]
    html = login(site_world["viewer"]).get(f"/sites/{site.id}/plan").get_data(as_text=True)
    sections = _sections(html)
    assert "Phase 2: Define and Scope is the current phase" in html
    # The finished phase is one line, naming its sign-off; its tasks are behind it.
    assert not _is_open(sections[1])
    summary = re.search(r'<summary[^>]*id="phase-1-summary".*?</summary>', sections[1], re.S)
    assert summary and "1 of 1 done, signed off 3 Mar 2026" in " ".join(summary.group(0).split())
    assert "Hold the kick-off" in sections[1]  # folded, not left out (not applicable: not counted)
    assert _is_open(sections[2])
    # Phase 3 has not started: folded with its dates. Phase 4 is later but has late work.
    assert not _is_open(sections[3]) and "0 of 1 done" in sections[3]
    assert _is_open(sections[4]) and "Book the pilot clinic" in sections[4]
    assert not _is_open(sections[0])  # Manage and Lead: nothing under way yet


def test_done_tasks_fold_beneath_the_open_ones(login, site_world, plan_site) -> None:
    site = plan_site["site"]
    html = login(site_world["viewer"]).get(f"/sites/{site.id}/plan").get_data(as_text=True)
    current = _sections(html)[2]
    done = _done_fold(current)
    assert "1 done task" in done and "Agree the scope" in done
    assert "Map the pathway" in current and "Map the pathway" not in done
    assert current.index("Map the pathway") < current.index("Agree the scope")
    assert "Showing 2 open tasks of 7" in html  # the current phase's and phase 4's


def test_the_filters_fold_behind_one_control_until_a_filter_is_set(
    login, site_world, plan_site
) -> None:
    site = plan_site["site"]
    client = login(site_world["viewer"])
    plain = client.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    disclosure = re.search(r"<details[^>]*app-plan-filters[^>]*>", plain)
    assert disclosure and " open" not in disclosure.group(0)
    assert re.search(r"<summary[^>]*>.*?Filter tasks", plain[disclosure.end() :], re.S)
    filtered = client.get(f"/sites/{site.id}/plan?owner=none").get_data(as_text=True)
    assert re.search(r"<details[^>]*app-plan-filters[^>]*\bopen\b", filtered)


def test_a_filtered_view_lists_every_match_unfolded(login, site_world, plan_site) -> None:
    site = plan_site["site"]
    client = login(site_world["viewer"])
    html = client.get(f"/sites/{site.id}/plan?status=complete").get_data(as_text=True)
    sections = _sections(html)
    assert set(sections) == {1, 2}  # only phases with a match
    assert all(_is_open(section) for section in sections.values())
    assert "app-done-tasks" not in html
    assert "Hold the kick-off" in sections[1] and "Agree the scope" in sections[2]
    assert "Showing 2 of 7 tasks that match the filters" in html


def test_the_row_being_edited_keeps_its_phase_open(login, site_world, plan_site) -> None:
    site, task = plan_site["site"], plan_site["kick_off"]
    html = (
        login(site_world["editor"])
        .get(f"/sites/{site.id}/plan?edit={task.id}")
        .get_data(as_text=True)
    )
    first = _sections(html)[1]
    assert _is_open(first) and f'id="task-{task.id}"' in first
    assert 'name="status"' in first and not _done_fold(first).count(f"task-{task.id}")


def test_a_task_saved_as_done_with_htmx_stays_where_it_was(login, site_world, plan_site) -> None:
    site, task = plan_site["site"], plan_site["pathway"]
    client = login(site_world["editor"])
    response = client.post(
        f"/sites/{site.id}/tasks/{task.id}/inline",
        data={
            "status": "complete",
            "owner_id": "None",
            "start_date": task.start_date.strftime("%d/%m/%Y"),
            "due_date": "",
            "version": task.version,
            "filters": "",
            "csrf_token": csrf_token(client, f"/sites/{site.id}/plan"),
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    section = response.get_data(as_text=True)
    assert _is_open(section) and f'id="task-{task.id}"' in section
    assert f"task-{task.id}" not in _done_fold(section)  # the row does not jump away
    assert "2 of 2 done" in section
    # Opened again, the plan folds it with the other done work.
    html = client.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    assert f"task-{task.id}" in _done_fold(_sections(html)[2])


def test_a_later_phase_opens_when_its_work_is_under_way(login, site_world, plan_site) -> None:
    """In progress or blocked ahead of its dates, a task is work in hand: its phase opens."""
    site, design = plan_site["site"], plan_site["design"]
    client = login(site_world["viewer"])
    assert not _is_open(_sections(client.get(f"/sites/{site.id}/plan").get_data(as_text=True))[3])
    for status in ("blocked", "in_progress"):
        design.status = status
        db.session.commit()
        html = client.get(f"/sites/{site.id}/plan").get_data(as_text=True)
        assert _is_open(_sections(html)[3]), status
