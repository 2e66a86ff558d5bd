"""Every branch of the RAG rule, the roll-up, and the SQL summary agreeing with them."""

from datetime import date, timedelta

import pytest

from app.plan.rag import (
    RolledTask,
    derived_rag,
    effective_rag,
    is_rosier,
    roll_up,
    site_rag_summary,
)
from app.plan.schedule import schedule
from app.toolkit import get_toolkit

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        ("complete", TODAY - timedelta(days=30), "complete"),  # complete wins over overdue
        ("not_applicable", TODAY - timedelta(days=30), None),  # excluded
        ("in_progress", TODAY - timedelta(days=1), "red"),  # overdue
        ("not_started", TODAY - timedelta(days=1), "red"),
        ("blocked", TODAY - timedelta(days=1), "red"),  # overdue beats blocked
        ("blocked", TODAY + timedelta(days=60), "amber"),
        ("blocked", None, "amber"),
        ("not_started", TODAY, "amber"),  # due today is not overdue yet
        ("not_started", TODAY + timedelta(days=14), "amber"),
        ("not_started", TODAY + timedelta(days=15), "green"),
        ("in_progress", TODAY + timedelta(days=3), "green"),  # started: on track
        ("not_started", None, "green"),
    ],
)
def test_derived_rag(status, due, expected) -> None:
    assert derived_rag(status, None, due, TODAY) == expected


def test_reported_rag_rosier_and_effective() -> None:
    assert is_rosier("green", "red")
    assert is_rosier("amber", "red")
    assert not is_rosier("red", "green")
    assert not is_rosier("green", "green")
    assert not is_rosier(None, "red")
    assert not is_rosier("green", "complete")
    assert effective_rag("red", "green") == "red"  # a report cannot hide a red
    assert effective_rag("green", "amber") == "amber"  # but can raise a concern
    assert effective_rag("complete", "red") == "complete"
    assert effective_rag(None, "red") is None


@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        ([], None),
        ([RolledTask(None, True)], None),
        ([RolledTask("complete", True), RolledTask(None, False)], "complete"),
        ([RolledTask("red", True), RolledTask("green", False)], "red"),
        ([RolledTask("red", False), RolledTask("green", True)], "amber"),
        ([RolledTask("amber", True), RolledTask("complete", True)], "amber"),
        ([RolledTask("green", True), RolledTask("complete", False)], "green"),
    ],
)
def test_roll_up(tasks, expected) -> None:
    assert roll_up(tasks) == expected


def test_sql_summary_agrees_with_python(app, make_site, make_task) -> None:
    cases = {
        "complete": [("complete", None, True, None)],
        "red": [("in_progress", -3, True, None), ("complete", None, False, None)],
        "amber_nonessential_red": [
            ("in_progress", -3, False, None),
            ("in_progress", 40, True, None),
        ],
        "amber_reported": [("in_progress", 40, True, "amber")],
        "red_reported": [("in_progress", 40, True, "red")],
        "green": [("in_progress", 40, True, None), ("not_applicable", -5, True, None)],
        "amber_soon": [("not_started", 5, False, None)],
    }
    sites = {}
    for name, rows in cases.items():
        site = make_site(name=name)
        sites[name] = site
        for status, days, essential, reported in rows:
            make_task(
                site,
                status=status,
                due_date=None if days is None else TODAY + timedelta(days=days),
                essential=essential,
                reported_rag=reported,
            )
    summary = site_rag_summary([s.id for s in sites.values()], TODAY)
    expected = {
        "complete": "complete",
        "red": "red",
        "amber_nonessential_red": "amber",
        "amber_reported": "amber",
        "red_reported": "red",
        "green": "green",
        "amber_soon": "amber",
    }
    for name, site in sites.items():
        rows = []
        for status, days, essential, reported in cases[name]:
            due = None if days is None else TODAY + timedelta(days=days)
            derived = derived_rag(status, None, due, TODAY)
            rows.append(RolledTask(effective_rag(derived, reported), essential))
        assert summary[site.id].rag == expected[name] == roll_up(rows), name
    assert summary[sites["red"].id].overdue == 1
    assert summary[sites["red"].id].essential_applicable == 1
    assert summary[sites["green"].id].applicable == 1
    assert summary[sites["complete"].id].essential_done == 1


def test_schedule_runs_phases_in_order_and_spreads_phase_zero() -> None:
    start = date(2026, 1, 5)
    planned = schedule(list(get_toolkit().tasks_for("new")), start)
    by_phase: dict[int, list] = {}
    for item in planned:
        assert item.start <= item.due
        by_phase.setdefault(item.template.phase, []).append(item)
    for number in range(1, 6):
        assert max(i.due for i in by_phase[number]) < min(i.start for i in by_phase[number + 1])
    ongoing = by_phase[0]
    assert min(i.start for i in ongoing) == start
    assert max(i.start for i in ongoing) > min(i.start for i in by_phase[4])
