"""The timeline on a phone (issue #32): what is late and due this month and next first, from
every phase; then every task phase by phase, folded by the plan page's own rule, with
months already past and fully done folded too. (The phone part is hidden on a wider
screen and on paper, where the chart shows: tests/e2e/test_timeline.py.)"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from app.core.dates import today
from app.extensions import db
from app.gateways.models import Gateway, GatewayDecision
from app.plan.models import Plan
from app.plan.queries import task_view
from app.plan.timeline_folds import months_of

SIGNED_AT = datetime(2026, 3, 3, 11, 0)  # naive UTC, 11:00 in London


def _month_start(day: date, back: int = 0) -> date:
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@pytest.fixture
def timeline_site(site_world, make_task) -> dict:
    """Phase 1 finished and signed off; phase 2 current: a month two back all done, a late
    task last month, one due this month and one next month; phase 3 not started, but one
    of its tasks is due next month; phase 4 later, with nothing under way."""
    site = site_world["site"]
    now = today()
    this_month, last_month = _month_start(now), _month_start(now, 1)
    two_back = _month_start(now, 2)
    next_month = _month_start(_month_end(this_month) + timedelta(days=1))
    db.session.add(Plan(site_id=site.id, service_kind="new", start_date=two_back))
    db.session.add(Gateway(site_id=site.id, phase=1, status="signed_off"))
    db.session.add(
        GatewayDecision(site_id=site.id, phase=1, action="signed_off", at=SIGNED_AT, snapshot=[])
    )
    tasks = {
        "kick_off": make_task(
            site, phase=1, title="Hold the kick-off", due_date=two_back, status="complete"
        ),
        "workshop": make_task(
            site,
            phase=2,
            title="Run the workshop",
            start_date=two_back,
            due_date=two_back,
            status="complete",
        ),
        "pathway": make_task(
            site, phase=2, title="Map the pathway", start_date=two_back, due_date=last_month
        ),
        "scope": make_task(
            site,
            phase=2,
            title="Agree the scope",
            start_date=two_back,
            due_date=_month_end(this_month),
        ),
        "pid": make_task(
            site, phase=2, title="Write the PID", start_date=two_back, due_date=next_month
        ),
        "design": make_task(
            site,
            phase=3,
            title="Design the service",
            start_date=next_month,
            due_date=_month_end(next_month),
        ),
        "pilot": make_task(
            site,
            phase=4,
            title="Run the pilot",
            start_date=next_month + timedelta(days=90),
            due_date=next_month + timedelta(days=120),
        ),
    }
    db.session.commit()
    return {
        "site": site,
        "this_month": this_month,
        "next_month": next_month,
        "two_back": two_back,
        **tasks,
    }


def _phone_part(html: str) -> str:
    start = html.index('data-testid="timeline-phone"')
    return html[start : html.index('<div class="app-timeline-table">', start)]


def _due(part: str, key: str) -> str:
    return re.search(rf'<div data-due="{key}">(.*?)</div>', part, re.S).group(1)


def _phases(part: str) -> dict[int, str]:
    chunks = re.split(r'(?=<div id="timeline-phase-\d+")', part)[1:]
    return {int(re.match(r'<div id="timeline-phase-(\d+)"', c).group(1)): c for c in chunks}


def _plain(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_late_and_due_this_month_and_next_come_first_from_every_phase(
    login, site_world, timeline_site
) -> None:
    site, world = timeline_site["site"], timeline_site
    html = login(site_world["viewer"]).get(f"/sites/{site.id}/timeline").get_data(as_text=True)
    part = _phone_part(html)
    assert part.index("Late and due soon") < part.index("Every task, phase by phase")
    late = _plain(_due(part, "late"))
    assert late.startswith("Late (1)") and "Map the pathway" in late
    this_month = _plain(_due(part, "this_month"))
    assert this_month.startswith(f"Due in {world['this_month']:%B %Y} (1)")
    assert "Agree the scope" in this_month and "Map the pathway" not in this_month
    next_month = _plain(_due(part, "next_month"))
    assert next_month.startswith(f"Due in {world['next_month']:%B %Y} (2)")
    # From a folded phase too: what is due next month is due whatever phase it is in.
    assert "Write the PID" in next_month and "Design the service" in next_month
    assert "Phase 3: Measure and Understand" in next_month
    assert "Run the pilot" not in part.split("Every task, phase by phase")[0]


def test_phases_fold_as_on_the_plan_and_finished_months_fold(
    login, site_world, timeline_site
) -> None:
    site, world = timeline_site["site"], timeline_site
    client = login(site_world["viewer"])
    html = client.get(f"/sites/{site.id}/timeline").get_data(as_text=True)
    phases = _phases(_phone_part(html))
    # The plan page's rule, not a second one: the same phases open on both pages.
    plan = client.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    plan_open = dict(re.findall(r'<section id="phase-(\d+)".*?data-phase-open="(\w+)"', plan, re.S))
    timeline_open = {
        str(n): re.search(r'data-phase-open="(\w+)"', c).group(1) for n, c in phases.items()
    }
    assert timeline_open == {"1": "false", "2": "true", "3": "false", "4": "false"}
    assert timeline_open == {number: plan_open[number] for number in timeline_open}
    # A finished phase is one line naming its sign-off; its tasks wait behind it.
    summary = _plain(re.search(r"<summary.*?</summary>", phases[1], re.S).group(0))
    assert summary.startswith("1 of 1 done, signed off 3 Mar 2026")
    assert "<h4" not in phases[1].split("<details", 1)[0]
    assert "app-month-fold" not in phases[1]  # opened, it shows its tasks: no second fold
    # A phase not started: its dates and RAG on its line (the chart's summary).
    later = _plain(re.search(r"<summary.*?</summary>", phases[3], re.S).group(0))
    assert later.startswith(f"0 of 1 done, {world['next_month'].day} ") and "Green" in later
    # The open phase by month: the month two back, all done, folded behind one line;
    # last month (a late task), this month and next month open under their headings.
    current = phases[2]
    folded = re.findall(r'<details class="[^"]*app-month-fold.*?</details>', current, re.S)
    assert len(folded) == 1
    assert _plain(folded[0]).startswith(f"{world['two_back']:%B %Y}: 1 of 1 done")
    assert "Run the workshop" in folded[0]
    headings = re.findall(r"<h4[^>]*>(.*?)</h4>", current)
    assert headings == [
        f"{world['two_back'] + timedelta(days=32):%B %Y}",
        f"{world['this_month']:%B %Y}",
        f"{world['next_month']:%B %Y}",
    ]
    assert "Map the pathway" in current and "Write the PID" in current


def test_a_month_folds_only_when_past_and_all_done(site_world, make_task) -> None:
    site = site_world["site"]
    now = today()
    last_month = _month_start(now, 1)
    done = make_task(site, title="Done", status="complete", due_date=last_month)
    late = make_task(site, title="Late", due_date=last_month)
    done_now = make_task(site, title="Done now", status="complete", due_date=now)
    views = {t.title: task_view(t, now) for t in (done, late, done_now)}
    past_done, this_month = months_of([views["Done"], views["Done now"]])
    assert past_done.folded(now) and not this_month.folded(now)  # this month stays open
    (mixed,) = months_of([views["Done"], views["Late"]])
    assert not mixed.folded(now) and mixed.done == 1
