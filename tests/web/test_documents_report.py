"""The steering-group highlight report: contents against the data, period, preview, queries."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import docx
import time_machine
from flask_login import login_user

from app.core.dates import today, uk_date
from app.extensions import db
from app.plan.models import Task
from tests.conftest import csrf_token, sign_in


def _report(client, site, query: str = "") -> str:  # noqa: ANN001
    response = client.get(f"/sites/{site.id}/documents/steering-report.docx{query}")
    assert response.status_code == 200
    document = docx.Document(BytesIO(response.data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend(" | ".join(c.text for c in row.cells) for row in table.rows)
    assert document.sections[0].header.paragraphs[0].text == site.name
    return "\n".join(lines)


def _task(site, title: str, **values) -> Task:  # noqa: ANN001
    task = Task(site_id=site.id, phase=values.pop("phase", 1), title=title, **values)
    db.session.add(task)
    db.session.commit()
    return task


def test_report_lists_done_next_late_and_changes_with_who(
    app, client, site_world, pid_project
) -> None:
    site, now = site_world["site"], today()
    made = pid_project(site, tasks=0, people=0)
    owner = made["team"][1]  # Priya Shah
    _task(site, "Map the pathway", status="complete", completed_date=now - timedelta(days=3),
          due_date=now - timedelta(days=2), owner_id=owner.id)  # fmt: skip
    _task(site, "Finished long ago", status="complete", completed_date=now - timedelta(days=90))
    _task(site, "Write the business case", phase=4, status="in_progress",
          due_date=now + timedelta(days=10), essential=True, owner_id=owner.id)  # fmt: skip
    _task(site, "Agree the data flows", phase=2, status="in_progress", essential=True,
          due_date=now - timedelta(days=5), owner_id=owner.id)  # fmt: skip
    moved = _task(site, "Book the engagement event", phase=2, status="in_progress",
                  due_date=date(2026, 3, 3))  # fmt: skip
    with app.test_request_context():
        login_user(site_world["editor"])
        assert moved.due_date == date(2026, 3, 3)  # loaded, as a view loads it before editing
        moved.due_date = date(2026, 4, 14)
        db.session.commit()

    sign_in(client, site_world["viewer"])
    text = _report(client, site)
    assert "Steering-group highlight report" in text
    assert "in the last 28 days" in text
    assert "Map the pathway (Priya Shah; done" in text
    assert "Finished long ago" not in text
    assert "Write the business case (Priya Shah; due" in text
    assert "Agree the data flows | Priya Shah" in text and "5 days late" in text
    assert (
        "Due date of Book the engagement event moved from 3 Mar to 14 Apr by Editor Person" in text
    )
    # Overall and per-phase RAG with the reason, in words.
    assert "Overall status: Red." in text
    assert "Phase 2: Define and Scope | Red | 0 of 2 tasks complete; 1 essential task red" in text
    assert "Phase 1: Start Out | Complete | Every task is complete" in text

    # A chosen date narrows the period: the change and the completion are before it.
    later = (now + timedelta(days=1)).strftime("%d/%m/%Y")
    text = _report(client, site, f"?since={later}")
    assert "since " in text and "Map the pathway (" not in text
    assert "Book the engagement event moved" not in text


def test_report_preview_prints_and_rejects_a_bad_date(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["viewer"])
    page = client.get(f"/sites/{site.id}/documents/steering-report")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<style media="print" nonce=' in html
    assert "No KPI figures are recorded yet" in html
    bad = client.get(f"/sites/{site.id}/documents/steering-report?since=31/02/2026")
    assert bad.status_code == 422
    assert "Enter a real date" in bad.get_data(as_text=True)
    docx_bad = client.get(f"/sites/{site.id}/documents/steering-report.docx?since=nonsense")
    assert docx_bad.status_code == 302


def test_empty_site_report_still_builds(client, site_world) -> None:
    sign_in(client, site_world["viewer"])
    text = _report(client, site_world["site"])
    assert "No tasks were completed in this period." in text
    assert "Nothing is overdue or red." in text
    assert "No actions are open." in text


def test_report_queries_do_not_grow(client, site_world, pid_project, count_queries) -> None:
    small_site, large_site = site_world["site"], site_world["other_site"]
    pid_project(small_site, tasks=30, people=20, meetings=6, risks=4, needs=True, kpi_months=3)
    pid_project(large_site, tasks=300, people=200, meetings=50, risks=40, kpi_months=24)
    sign_in(client, site_world["admin"])
    for path in ("/documents/steering-report", "/documents/steering-report.docx"):
        counts = []
        for site in (small_site, large_site):
            client.get(f"/sites/{site.id}{path}")
            with count_queries() as queries:
                assert client.get(f"/sites/{site.id}{path}").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], path


def test_demo_report_lists_the_due_date_change(app, client) -> None:
    from app.demo import DEMO_PASSWORD, seed_demo

    ctx = seed_demo()
    db.session.commit()
    site = ctx.sites["riverside"]
    token = csrf_token(client, "/login")
    data = {"email": "champion@example.nhs.uk", "password": DEMO_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    text = _report(client, site)
    assert "Due date of " in text and "by Priya Shah (project manager)" in text


def test_report_period_without_steering_meetings_is_four_weeks(client, site_world) -> None:
    with time_machine.travel(date(2026, 5, 20), tick=False):
        sign_in(client, site_world["viewer"])
        text = _report(client, site_world["site"])
    assert (
        "in the last 28 days (no earlier steering-group meeting is recorded), to 20 May 2026"
        in text
    )
    assert "Next period: to 17 Jun 2026 (no steering-group meeting is planned)" in text


def test_report_period_runs_from_the_last_steering_meeting(client, site_world, pid_project) -> None:
    site = site_world["site"]
    made = pid_project(site, tasks=0, people=0, meetings=10)
    # Meetings 0, 2, 4 … are steering groups; 0-4 are past, 5-9 to come (fortnightly).
    last, upcoming = made["meetings"][4], made["meetings"][6]
    sign_in(client, site_world["viewer"])
    text = _report(client, site)
    assert f"since the steering-group meeting on {uk_date(last.starts_at)}" in text
    # The next period runs to the next steering group, a fortnight away.
    assert f"Next period: to the steering-group meeting on {uk_date(upcoming.starts_at)}" in text
    assert "Action from meeting 0 (Dr Tom Evans; due" in text and "overdue)" in text
    preview = client.get(f"/sites/{site.id}/documents/steering-report").get_data(as_text=True)
    assert "Action from meeting 7" in preview and "and 2 more (see the Actions page)" in preview


def test_report_lists_risks_issues_and_decisions(client, site_world, pid_project) -> None:
    site = site_world["site"]
    made = pid_project(site, tasks=0, people=0, risks=8)
    sign_in(client, site_world["viewer"])
    text = _report(client, site)
    for entry in made["risks"]:
        if entry.kind in ("risk", "issue"):
            assert f"{entry.title} |" in text
    assert "Issue 2 | High | Helen Brooks | What we do about issue 2" in text
    decision = made["risks"][3]
    assert f"Decision 3 (needed by {uk_date(decision.decide_by)}; Dr Tom Evans)" in text


def test_report_kpi_summary_with_small_run_charts(client, site_world, pid_project) -> None:
    site = site_world["site"]
    pid_project(site, tasks=0, people=0, kpi_months=14)
    sign_in(client, site_world["viewer"])
    response = client.get(f"/sites/{site.id}/documents/steering-report.docx")
    document = docx.Document(BytesIO(response.data))
    kpis = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI")
    rows = [[c.text for c in row.cells] for row in kpis.rows[1:]]
    # KPI 2 rose 2 points a month to 66% in February 2026; KPI 7 fell 1 point a month.
    assert rows[0][:4] == ["2. Identification: all", "66% (Feb 2026)",
                           "↑ Up 2.0 points (better)", "80%: not met"]  # fmt: skip
    assert rows[1][0].startswith("7.") and rows[1][2] == "↓ Down 1.0 points (worse)"
    assert len(document.inline_shapes) == 2  # one PNG run chart per KPI with values
    assert document.inline_shapes[0]._inline.docPr.get("descr").startswith("Run chart of 2.")
    preview = client.get(f"/sites/{site.id}/documents/steering-report").get_data(as_text=True)
    assert 'id="report-kpi-2-title"' in preview and 'role="img"' in preview
