"""The portfolio's rules in SQL agree with their Python forms (issue #34): both are read from
the same data (`dimensions.RULES`, `dimensions.OVERALL`, the need weights), checked on a grid
of sites for the rules as they are and for an altered copy, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import random
from dataclasses import asdict, replace
from datetime import date, datetime

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, insert, select

from app.core.dates import to_london
from app.extensions import db
from app.portfolio import dimensions
from app.portfolio.dimensions import OVERALL, RULES, Facts, Line, Ref, When, rate
from app.portfolio.need import need_score
from app.portfolio.rules_sql import count_of, days_since, need_sql, overall_sql, status_sql

STALE_DAYS = 30
TODAY = date(2026, 3, 30)  # the day after the clocks went forward
INTS = ("meeting_booked", "has_needs")

# Each fact's values at and around the rules' limits (None: never happened).
GRID = {
    "applicable": (0, 10),
    "done": (0, 4, 10),
    "overdue": (0, 1, 2, 3, 5),
    "essential_long_overdue": (0, 1),
    "red_amber": (0, 1, 3),
    "very_high_risks": (0, 1),
    "high_risks": (0, 2),
    "reviews_overdue": (0, 1),
    "days_since_meeting": (None, 20, 90, 91, 120),
    "meeting_booked": (False, True),
    "days_since_change": (None, 3, 30, 31, 60, 61, 500),
    "phase": (1, 3, 4, 6),
    "has_needs": (False, True),
}
REVIEW = (None, 2)  # a gateway review waiting (its phase) or not
DAYS_OVERDUE = (None, 0, 5, 400)


def _grid(size: int = 1500) -> list[dict]:
    """Every combination of each dimension's own facts, and random sites across all."""
    rng = random.Random(34)
    rows = [
        {name: rng.choice(values) for name, values in GRID.items()}
        | {"review_phase": rng.choice(REVIEW), "days_overdue": rng.choice(DAYS_OVERDUE)}
        for _ in range(size)
    ]
    schedule = ("applicable", "done", "overdue", "essential_long_overdue", "red_amber")
    for values in itertools.product(*(GRID[name] for name in schedule)):
        rows.append({**rows[0], **dict(zip(schedule, values, strict=True))})
    return rows


facts_table = Table(
    "portfolio_rule_facts",
    MetaData(),
    Column("id", Integer, primary_key=True),
    *(Column(name, Integer) for name in (*GRID, "review_phase", "days_overdue")),
)


@pytest.fixture
def grid(app) -> list[dict]:  # noqa: ANN001
    rows = _grid()
    facts_table.drop(db.engine, checkfirst=True)  # left by an interrupted run
    facts_table.create(db.engine)
    with db.engine.begin() as connection:
        connection.execute(
            insert(facts_table),
            [{"id": i, **{k: (int(v) if isinstance(v, bool) else v) for k, v in row.items()}}
             for i, row in enumerate(rows)],
        )  # fmt: skip
    yield rows
    db.session.rollback()  # the test's reads hold the table until then
    facts_table.drop(db.engine)


def _sql_ratings(rules: dict, overall_rule: tuple) -> dict[int, tuple]:
    c = facts_table.c
    columns = {name: c[name] for name in GRID}
    statuses = {key: status_sql(rules[key], columns, STALE_DAYS) for key in dimensions.DIMENSIONS}
    red = count_of("red", list(statuses.values()))
    need = need_sql(
        red, c.review_phase.is_not(None), c.days_overdue, c.days_since_change, STALE_DAYS
    )
    statement = select(c.id, *statuses.values(), overall_sql(statuses, overall_rule), need)
    return {row[0]: tuple(row[1:]) for row in db.session.execute(statement)}


def _python_ratings(rows: list[dict], rules: dict, overall_rule: tuple) -> dict[int, tuple]:
    found = {}
    for i, row in enumerate(rows):
        facts = Facts(**{name: row[name] for name in GRID})
        ratings, overall = rate(facts, STALE_DAYS, rules, overall_rule)
        need = need_score(
            red_dimensions=sum(r.status == "red" for r in ratings.values()),
            review_waiting=row["review_phase"] is not None,
            days_overdue=row["days_overdue"] or 0,
            days_since_change=row["days_since_change"],
            stale_days=STALE_DAYS,
        )
        found[i] = (*(r.status for r in ratings.values()), overall, need)
    return found


def _altered() -> tuple[dict, tuple]:
    """Two overdue tasks make the schedule red; data turns red at three times the staleness
    limit; overall red needs three red dimensions."""
    rules = dict(RULES)
    rules["schedule"] = tuple(
        replace(line, when=(When("overdue", ">=", 2),))
        if line.when == (When("overdue", ">=", dimensions.MANY_OVERDUE),)
        else line
        for line in RULES["schedule"]
    )
    rules["data"] = tuple(
        replace(line, when=(When("days_since_change", ">", Ref("stale_days", 3)),))
        if line.when == (When("days_since_change", ">", Ref("stale_days", 2)),)
        else line
        for line in RULES["data"]
    )
    overall = tuple(
        replace(line, when=(When("reds", ">=", 3),))
        if line.when == (When("reds", ">=", 2),)
        else line
        for line in OVERALL
    )
    return rules, overall


@pytest.mark.parametrize("altered", [False, True], ids=["rules", "altered"])
def test_sql_and_python_rate_every_site_alike(grid: list[dict], altered: bool) -> None:
    rules, overall = _altered() if altered else (RULES, OVERALL)
    sql = _sql_ratings(rules, overall)
    python = _python_ratings(grid, rules, overall)
    assert sql == python
    # The altered copy changes both forms: they read the data, not a second copy of it.
    assert (python == _python_ratings(grid, RULES, OVERALL)) == (not altered)
    statuses = {value for ratings in python.values() for value in ratings[:5]}
    assert statuses == {"red", "amber", "green", "complete", None}  # the grid reaches each


def test_rules_in_a_shape_the_sql_cannot_follow_are_refused() -> None:
    names = set(Facts.__dataclass_fields__)
    with pytest.raises(ValueError, match="last line"):
        dimensions.check((Line("green", (When("overdue", ">", 0),), "", ""),), names)
    with pytest.raises(ValueError, match="unknown fact"):
        dimensions.check(
            (Line("red", (When("overdu", ">", 0),), "", ""), Line("green", (), "", "")), names
        )
    with pytest.raises(ValueError, match="only the last"):
        dimensions.check((Line("red", (), "", ""), Line("green", (), "", "")), names)


def test_the_help_page_words_come_from_the_same_lines() -> None:
    written = dimensions.rules(STALE_DAYS)
    assert written["schedule"][2] == (
        "Red when an essential task is more than 28 days overdue, or 3 or more tasks are overdue."
    )
    assert "more than 60 days" in written["data"][0]
    assert written["overall"][-1].startswith("Green otherwise")


moments = Table(
    "portfolio_rule_moments",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", DateTime),
)


def test_days_since_counts_london_days_as_python_does(app) -> None:  # noqa: ANN001
    """Around midnight in winter and summer time, and across the change of the clocks."""
    instants = [
        datetime(2026, 3, 29, 0, 30),  # 00:30 GMT, the night the clocks go forward
        datetime(2026, 3, 29, 23, 30),  # 00:30 BST on the 30th
        datetime(2026, 3, 28, 23, 59),
        datetime(2025, 10, 25, 23, 30),  # 00:30 BST on the 26th
        datetime(2025, 10, 26, 23, 30),  # 23:30 GMT
        datetime(2025, 7, 1, 23, 0),  # midnight in London
        datetime(2024, 1, 1, 12, 0),
    ]
    moments.drop(db.engine, checkfirst=True)
    moments.create(db.engine)
    try:
        with db.engine.begin() as connection:
            connection.execute(
                insert(moments), [{"id": i, "at": at} for i, at in enumerate(instants)]
            )
        sql = dict(db.session.execute(select(moments.c.id, days_since(TODAY, moments.c.at))).all())
    finally:
        db.session.rollback()
        moments.drop(db.engine)
    python = {i: (TODAY - to_london(at).date()).days for i, at in enumerate(instants)}
    assert sql == python
    assert python[1] == 0 and python[0] == 1  # the same UTC day, two London days apart


def test_facts_are_the_ones_the_sql_reads() -> None:
    """Every fact a rule names is a `Facts` field, which `ranking.fact_columns` gives."""
    assert set(asdict(Facts())) == set(GRID)
