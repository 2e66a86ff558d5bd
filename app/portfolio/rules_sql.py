"""The portfolio's rules as SQL, built from the same data the Python forms read.

`status_sql` turns a rule's lines (`app.portfolio.dimensions.RULES`, `OVERALL`) into one SQL
CASE over columns named as the facts; `need_sql` is `app.portfolio.need.need_score` over
SQL values, from the same weights. Day counts come from `days_since`, which reads a stored
moment's day in London as `app.core.dates.to_london` does (PostgreSQL: its time zone
database; SQLite, which has none: the same Python function, registered on each connection).
tests/unit/test_portfolio_rules_sql.py checks every form agrees with its Python twin.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Integer, and_, case, event, func, literal, null, true
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.core.dates import to_london
from app.portfolio import need
from app.portfolio.dimensions import COMPARISONS, Line, Ref, When, limits

SQLITE_LONDON_DAY = "fls_london_day"


class london_day(FunctionElement):  # noqa: N801 - named as the SQL function it compiles to
    """A naive-UTC moment's date in London (NULL stays NULL)."""

    type = Date()
    inherit_cache = True


@compiles(london_day, "postgresql")
def _london_day_postgresql(element: london_day, compiler: Any, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(timezone('Europe/London', timezone('UTC', {moment})) AS DATE)"


@compiles(london_day)
def _london_day_sqlite(element: london_day, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_LONDON_DAY}({compiler.process(element.clauses, **kw)})"


def _sqlite_london_day(moment: str | None) -> str | None:
    if moment is None:
        return None
    return to_london(datetime.fromisoformat(moment)).date().isoformat()


@event.listens_for(Engine, "connect")
def _add_sqlite_functions(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(
            SQLITE_LONDON_DAY, 1, _sqlite_london_day, deterministic=True
        )


class days_between(FunctionElement):  # noqa: N801
    """Whole days from the date `earlier` to the date `later` (NULL if either is)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between, "postgresql")
def _days_postgresql(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


@compiles(days_between)
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def days_since(today: date, moment: Any, *, is_date: bool = False) -> Any:
    """Days from a stored moment (or date) to `today`, counted in London days."""
    day = moment if is_date else london_day(moment)
    return days_between(literal(today, Date()), day)


def _operand(value: int | str | Ref | None, columns: Mapping[str, Any], stale_days: int) -> Any:
    if not isinstance(value, Ref):
        return literal(value)
    if value.name in columns:
        return columns[value.name] * value.times
    return literal(limits(stale_days)[value.name] * value.times)


def when_sql(when: When, columns: Mapping[str, Any], stale_days: int) -> Any:
    column = columns[when.fact]
    if when.op == "missing":
        return column.is_(None)
    if when.op == "set":
        return column != 0
    if when.op == "unset":
        return column == 0
    return COMPARISONS[when.op](column, _operand(when.value, columns, stale_days))


def _status(value: str | None) -> Any:
    return null() if value is None else literal(value)


def status_sql(lines: tuple[Line, ...], columns: Mapping[str, Any], stale_days: int) -> Any:
    """One CASE: the status of the first line whose conditions all hold (the last line,
    which always holds, is the ELSE)."""
    whens = [
        (and_(true(), *(when_sql(w, columns, stale_days) for w in line.when)), _status(line.status))
        for line in lines[:-1]
    ]
    return case(*whens, else_=_status(lines[-1].status))


def overall_sql(statuses: Mapping[str, Any], overall_rule: tuple[Line, ...]) -> Any:
    """The overall status from the four dimensions' SQL statuses (`dimensions.OVERALL`)."""
    dims = list(statuses.values())
    facts = {
        "schedule": statuses["schedule"],
        "reds": count_of("red", dims),
        "ambers": count_of("amber", dims),
    }
    return status_sql(overall_rule, facts, 0)


def count_of(status: str, statuses: list[Any]) -> Any:
    """How many of these SQL statuses are `status`."""
    total: Any = literal(0)
    for column in statuses:
        total = total + case((column == status, 1), else_=0)
    return total


def _capped(value: Any, low: int, high: int) -> Any:
    return case((value < low, low), (value > high, high), else_=value)


def need_sql(
    red_dimensions: Any,
    review_waiting: Any,
    days_overdue: Any,
    days_since_change: Any,
    stale_days: int,
) -> Any:
    """`need.need_score` over SQL values (`review_waiting` a condition; `days_overdue`
    NULL when nothing is overdue; `days_since_change` NULL when never changed)."""
    days_overdue = func.coalesce(days_overdue, 0)
    days_stale = case(
        (days_since_change.is_(None), stale_days), else_=days_since_change - stale_days
    )
    return (
        need.RED_DIMENSION * red_dimensions
        + case((review_waiting, need.REVIEW_WAITING), else_=0)
        + need.DAY_OVERDUE * _capped(days_overdue, 0, need.MAX_DAYS)
        + need.STALE_DAY * _capped(days_stale, 0, need.MAX_DAYS)
    )
