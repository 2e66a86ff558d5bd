"""Every branch of the RAG rule, the roll-up, and the SQL form agreeing with the Python one."""

import itertools
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.plan.models import TASK_STATUSES, Task
from app.plan.rag import (
    DUE_SOON_DAYS,
    RULES,
    RolledTask,
    Rule,
    derived_rag,
    effective_rag,
    effective_rag_sql,
    is_rosier,
    roll_up,
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


def test_site_roll_ups() -> None:
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
    expected = {
        "complete": "complete",
        "red": "red",
        "amber_nonessential_red": "amber",
        "amber_reported": "amber",
        "red_reported": "red",
        "green": "green",
        "amber_soon": "amber",
    }
    for name in cases:
        rows = []
        for status, days, essential, reported in cases[name]:
            due = None if days is None else TODAY + timedelta(days=days)
            derived = derived_rag(status, None, due, TODAY)
            rows.append(RolledTask(effective_rag(derived, reported), essential))
        assert roll_up(rows) == expected[name], name


# An altered rule: blocked is no longer amber by itself, and "due soon" is three days.
ALTERED = tuple(
    replace(rule, due_before=4) if rule.due_before == DUE_SOON_DAYS + 1 else rule
    for rule in RULES
    if rule.statuses != ("blocked",)
)


@pytest.mark.parametrize("rules", [RULES, ALTERED], ids=["rules", "altered"])
def test_the_sql_and_python_forms_both_come_from_the_rules(app, make_site, rules) -> None:
    """The SQL CASE and the Python oracle give every kind of task the same effective RAG,
    for the rules as they are and for an altered copy (so both are read from the rules, not
    written out again)."""
    site = make_site()
    days = (None, -1, 0, 1, 3, 4, DUE_SOON_DAYS, DUE_SOON_DAYS + 1, 60)
    kinds = list(itertools.product(TASK_STATUSES, days, (None, "green", "amber", "red")))
    for status, offset, reported in kinds:
        db.session.add(
            Task(
                site_id=site.id,
                phase=1,
                title=f"{status} {offset} {reported}",
                status=status,
                due_date=None if offset is None else TODAY + timedelta(days=offset),
                reported_rag=reported,
            )
        )
    db.session.commit()
    rows = db.session.execute(
        select(Task.status, Task.due_date, Task.reported_rag, effective_rag_sql(TODAY, rules))
    ).all()
    assert len(rows) == len(kinds)
    oracle = {
        (status, due, reported): effective_rag(
            derived_rag(status, None, due, TODAY, rules), reported
        )
        for status, due, reported, _sql in rows
    }
    assert {(s, d, r): sql for s, d, r, sql in rows} == oracle
    default = {
        key: effective_rag(derived_rag(key[0], None, key[1], TODAY), key[2]) for key in oracle
    }
    assert (oracle == default) == (rules is RULES)


def test_rules_in_a_shape_the_sql_cannot_follow_are_refused() -> None:
    with pytest.raises(ValueError):
        effective_rag_sql(TODAY, (Rule("green"), *RULES))  # green before red


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
