"""The one place that decides red, amber and green (documented on the help page).

The rule for one task is data, `RULES`: the first line a task meets gives its derived RAG.
  1. complete → "complete"; not applicable → None (left out of every roll-up);
  2. due date before today → "red";
  3. blocked → "amber";
  4. due within the next 14 days and not started → "amber";
  5. otherwise → "green".
Both forms are read from `RULES`: `derived_rag` (Python, for a page's task rows and as the
tests' oracle) and `effective_rag_sql` (one SQL CASE, for counting many tasks at once, as the
portfolio does). Change a rule in `RULES` and both change; tests/unit/test_plan_rag.py checks
they agree on every kind of task, for `RULES` and for an altered copy.

A person may report a different RAG with a reason. The report never hides the dates: where
it is rosier than the derived RAG, pages show both (`is_rosier`). For roll-ups a task counts
as the worse of the two (`effective_rag`), so a report can raise a concern but not bury one.

Roll-up of a phase or a whole site (`roll_up`, then `app.toolkit.vocabulary.rag_ladder`),
over the applicable tasks: no applicable tasks → None; all complete → "complete"; any
essential task red → "red"; any task red or amber → "amber"; otherwise → "green".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case, literal, null, or_, true

from app.plan.models import Task
from app.toolkit.vocabulary import RAG_LABELS, REPORTABLE_RAG, rag_ladder, severity  # noqa: F401 - RAG_LABELS for the plan's users

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Rule:
    """One line of the rule: a task meeting every condition given has the derived RAG `rag`."""

    rag: str | None
    statuses: tuple[str, ...] = ()  # its status is one of these (empty: any status)
    due_before: int | None = None  # its due date is before today + this many days (0: overdue)


OVERDUE = Rule("red", due_before=0)
RULES: tuple[Rule, ...] = (
    Rule("complete", statuses=("complete",)),
    Rule(None, statuses=("not_applicable",)),
    OVERDUE,
    Rule("amber", statuses=("blocked",)),
    Rule("amber", statuses=("not_started",), due_before=DUE_SOON_DAYS + 1),
    Rule("green"),
)


def closed_statuses(rules: tuple[Rule, ...] = RULES) -> tuple[str, ...]:
    """Statuses whose RAG no date or report can change (complete, not applicable)."""
    return tuple(s for rule in rules if rule.rag not in REPORTABLE_RAG for s in rule.statuses)


def _check(rules: tuple[Rule, ...]) -> None:
    """The shape `effective_rag_sql` relies on: closed statuses first (by status alone), then
    the open lines worst first, ending with one that every task meets."""
    closed = [rule for rule in rules if rule.rag not in REPORTABLE_RAG]
    opened = rules[len(closed) :]
    ranks = [severity(rule.rag) for rule in opened if rule.rag in REPORTABLE_RAG]
    if (
        rules[: len(closed)] != tuple(closed)
        or not all(rule.statuses and rule.due_before is None for rule in closed)
        or len(ranks) != len(opened)
        or ranks != sorted(ranks, reverse=True)
        or not opened
        or opened[-1] != Rule(opened[-1].rag)
    ):
        raise ValueError(
            "RAG rules: closed statuses first, then open lines worst first, last with no condition"
        )


_check(RULES)


def _meets(rule: Rule, status: str, due: date | None, today: date) -> bool:
    if rule.statuses and status not in rule.statuses:
        return False
    return rule.due_before is None or (due is not None and due < today + timedelta(rule.due_before))


def derived_rag(
    status: str, start: date | None, due: date | None, today: date, rules: tuple[Rule, ...] = RULES
) -> str | None:
    """The RAG the dates give one task: the first line of `rules` it meets."""
    return next(rule.rag for rule in rules if _meets(rule, status, due, today))


def task_rag(task: Task, today: date) -> str | None:
    return derived_rag(task.status, task.start_date, task.due_date, today)


def is_rosier(reported: str | None, derived: str | None) -> bool:
    """True when someone reports a better RAG than the dates give (both are then shown)."""
    if not reported or derived in (None, "complete"):
        return False
    return severity(reported) < severity(derived)


def effective_rag(derived: str | None, reported: str | None) -> str | None:
    """The RAG a task contributes to roll-ups: the worse of derived and reported."""
    if derived in (None, "complete") or not reported:
        return derived
    return reported if severity(reported) > severity(derived) else derived


def rule_sql(rule: Rule, today: date) -> ColumnElement[bool]:
    """SQL for 'the task meets this line' (a null due date meets no date condition)."""
    conditions = []
    if rule.statuses:
        conditions.append(Task.status.in_(rule.statuses))
    if rule.due_before is not None:
        conditions.append(Task.due_date < today + timedelta(rule.due_before))
    return and_(*conditions) if conditions else true()


def effective_rag_sql(today: date, rules: tuple[Rule, ...] = RULES) -> ColumnElement:
    """One task's effective RAG as one SQL CASE, from `rules`: the closed statuses first, then
    each open RAG, worst first, where a line gives it or the task is reported so."""
    _check(rules)
    closed = [rule for rule in rules if rule.rag not in REPORTABLE_RAG]
    whens = [(rule_sql(rule, today), _value(rule.rag)) for rule in closed]
    opened = rules[len(closed) :]
    for rag in dict.fromkeys(rule.rag for rule in opened[:-1]):
        lines = [rule_sql(rule, today) for rule in opened if rule.rag == rag]
        whens.append((or_(*lines, Task.reported_rag == rag), _value(rag)))
    return case(*whens, else_=_value(opened[-1].rag))


def _value(rag: str | None) -> ColumnElement:
    return null() if rag is None else literal(rag)


@dataclass(frozen=True)
class RolledTask:
    rag: str | None  # effective RAG
    essential: bool


def roll_up(tasks: Iterable[RolledTask]) -> str | None:
    """Phase or site RAG from its tasks' effective RAGs (see the module docstring)."""
    applicable = [t for t in tasks if t.rag is not None]
    return rag_ladder(
        applicable=len(applicable),
        complete=sum(t.rag == "complete" for t in applicable),
        essential_red=sum(t.rag == "red" and t.essential for t in applicable),
        red_or_amber=sum(t.rag in ("red", "amber") for t in applicable),
    )
