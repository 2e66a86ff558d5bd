"""A site's status in four dimensions, and the overall status that combines them.

The rules are data (`RULES`, `OVERALL`): for each dimension, ordered lines, each a status
with the conditions that give it, the reason shown in the portfolio's cell and the same
conditions in words for the help page. The first line whose conditions all hold gives the
status. Three forms are read from that data and nothing else:
- `rate` (Python): a page's rows with their reasons, and the tests' oracle;
- `rules` (words): the help page;
- `app.portfolio.rules_sql` (one SQL CASE per dimension and one for the overall status):
  the portfolio ranks, filters and counts every site in the database.
Change a line here and all three follow; tests/unit/test_portfolio_rules_sql.py checks
Python and SQL agree on a grid of sites, for these rules and for an altered copy.

One late task makes the schedule amber, not the whole site red: a site is only red overall
when its schedule has stalled or two dimensions are red at once.
"""

from __future__ import annotations

import operator
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

# How long a task may sit overdue before the schedule counts as stalled, and how many
# overdue tasks at once mean the same thing.
LONG_OVERDUE_DAYS = 28
MANY_OVERDUE = 3
# Engagement: a team that has not met for this long, with nothing booked, has stalled.
MEETING_GAP_DAYS = 90
# Data: the phase from which the needs figures should be saved (Measure and Understand done).
NEEDS_FROM_PHASE = 4

DIMENSIONS = {
    "schedule": "Schedule",
    "risks": "Risks",
    "engagement": "Engagement",
    "data": "Data",
}
STATUS_NAMES = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "complete": "Complete",
    None: "No plan",
}
# The severity bands the filter and the chart use, worst first.
BANDS = ("red", "amber", "green", "complete", None)
BAND_MEANINGS = {
    "red": "stalled",
    "amber": "slipping",
    "green": "on track",
    "complete": "plan done",
    None: "no plan yet",
}
TAG_COLOURS = {"red": "red", "amber": "orange", "green": "green", "complete": "blue"}


@dataclass(frozen=True)
class Facts:
    """What the rules read about one site (all from the portfolio's single query; the SQL
    form reads columns of the same names)."""

    applicable: int = 0  # applicable tasks
    done: int = 0
    overdue: int = 0
    essential_long_overdue: int = 0  # essential tasks overdue by more than LONG_OVERDUE_DAYS
    red_amber: int = 0  # tasks red or amber by dates or by report
    very_high_risks: int = 0  # open risks scored 16-25, or critical open issues
    high_risks: int = 0  # open risks scored 10-15, or high open issues
    reviews_overdue: int = 0  # open entries whose review date has passed
    days_since_meeting: int | None = None  # since the last meeting held (None: never)
    meeting_booked: bool = False
    days_since_change: int | None = None
    phase: int = 1
    has_needs: bool = False


FACT_NAMES = tuple(fact.name for fact in fields(Facts))


@dataclass(frozen=True)
class Ref:
    """A value a condition compares with: another fact, or a limit (`stale_days`), times
    `times`."""

    name: str
    times: int = 1


# A condition's operators. "set" and "unset": a yes/no fact is true or false; "missing":
# the fact has no value (never happened). A comparison with a missing value never holds, as
# in SQL.
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
}
TESTS = ("set", "unset", "missing")


@dataclass(frozen=True)
class When:
    """One condition: `fact op value` (value a number, a status or a `Ref`)."""

    fact: str
    op: str
    value: int | str | Ref | None = None


@dataclass(frozen=True)
class Line:
    """One line of a rule: every condition in `when` holds (none: always) → `status`.
    `reason` is the cell's text, formatted with the facts ("{overdue:task}" writes "1 task"
    or "2 tasks"); `words` the conditions as the help page says them."""

    status: str | None
    when: tuple[When, ...]
    reason: str
    words: str


RULES: dict[str, tuple[Line, ...]] = {
    "schedule": (
        Line(
            None, (When("applicable", "==", 0),), "No plan yet", "the plan has no applicable tasks"
        ),
        Line(
            "complete",
            (When("done", ">=", Ref("applicable")),),
            "Every task complete",
            "every applicable task is done",
        ),
        Line(
            "red",
            (When("essential_long_overdue", ">", 0),),
            f"Essential task over {LONG_OVERDUE_DAYS} days late",
            f"an essential task is more than {LONG_OVERDUE_DAYS} days overdue",
        ),
        Line(
            "red",
            (When("overdue", ">=", MANY_OVERDUE),),
            "{overdue} tasks overdue",
            f"{MANY_OVERDUE} or more tasks are overdue",
        ),
        Line("amber", (When("overdue", ">", 0),), "{overdue:task} overdue", "a task is overdue"),
        Line(
            "amber",
            (When("red_amber", ">", 0),),
            "{red_amber:task} at risk",
            "a task is red or amber by its dates or its reported RAG",
        ),
        Line("green", (), "On time", ""),
    ),
    "risks": (
        Line(
            "red",
            (When("very_high_risks", ">", 0),),
            "{very_high_risks} very high",
            "an open risk scores 16 or more (very high) or an open issue is critical",
        ),
        Line(
            "amber",
            (When("high_risks", ">", 0),),
            "{high_risks} high",
            "an open risk scores 10 to 15 (high) or an open issue is high",
        ),
        Line(
            "amber",
            (When("reviews_overdue", ">", 0),),
            "{reviews_overdue:review} overdue",
            "a review date has passed",
        ),
        Line("green", (), "None high", ""),
    ),
    "engagement": (
        Line("green", (When("meeting_booked", "set"),), "Meeting booked", "a meeting is booked"),
        Line(
            "red",
            (When("days_since_meeting", "missing"),),
            "No meeting held or booked",
            "no meeting has been held or booked",
        ),
        Line(
            "red",
            (When("days_since_meeting", ">", MEETING_GAP_DAYS),),
            "Last met {days_since_meeting} days ago",
            f"nothing is booked and the team has not met for {MEETING_GAP_DAYS} days",
        ),
        Line("amber", (), "Next meeting not booked", ""),
    ),
    "data": (
        Line(
            "red",
            (When("days_since_change", "missing"),),
            "No recent changes",
            "nobody has ever changed anything",
        ),
        Line(
            "red",
            (When("days_since_change", ">", Ref("stale_days", 2)),),
            "No recent changes",
            "nobody has changed anything for more than {twice_stale_days} days",
        ),
        Line(
            "amber",
            (When("days_since_change", ">", Ref("stale_days")),),
            "No change for {days_since_change} days",
            "nothing has changed for more than {stale_days} days",
        ),
        Line(
            "amber",
            (When("phase", ">=", NEEDS_FROM_PHASE), When("has_needs", "unset")),
            "Needs figures missing",
            f"the site is in phase {NEEDS_FROM_PHASE} or later without saved needs figures",
        ),
        Line("green", (), "Up to date", ""),
    ),
}
# The overall status from the four: `schedule` (its status), `reds` and `ambers` (how many
# of the four dimensions are red, amber).
OVERALL: tuple[Line, ...] = (
    Line(None, (When("schedule", "missing"),), "", "the plan has no applicable tasks"),
    Line("red", (When("schedule", "==", "red"),), "", "the schedule is red"),
    Line("red", (When("reds", ">=", 2),), "", "any two dimensions are red"),
    Line("amber", (When("reds", ">=", 1),), "", "one other dimension is red"),
    Line("amber", (When("ambers", ">=", 2),), "", "two dimensions are amber"),
    Line(
        "complete",
        (When("schedule", "==", "complete"), When("ambers", "==", 0)),
        "",
        "the plan is complete and no dimension is amber or red",
    ),
    Line("green", (), "", "one amber dimension, such as a single late task, leaves a site green"),
)


def limits(stale_days: int) -> dict[str, int]:
    """The values a rule's `Ref` may name besides the facts."""
    return {"stale_days": stale_days}


def check(lines: tuple[Line, ...], names: set[str]) -> None:
    """The shape every form relies on: known facts and operators, a last line that always
    holds (the SQL CASE's ELSE) and no other line without conditions."""
    for line in lines[:-1]:
        if not line.when:
            raise ValueError("Portfolio rules: only the last line may hold unconditionally")
        for when in line.when:
            refs = [when.value.name] if isinstance(when.value, Ref) else []
            if when.fact not in names or any(r not in names | {"stale_days"} for r in refs):
                raise ValueError(f"Portfolio rules: unknown fact in {when}")
            if when.op not in COMPARISONS and when.op not in TESTS:
                raise ValueError(f"Portfolio rules: unknown operator in {when}")
    if lines[-1].when:
        raise ValueError("Portfolio rules: the last line must hold unconditionally")


FACT_NAMES = set(Facts.__dataclass_fields__)
OVERALL_NAMES = {"schedule", "reds", "ambers"}
for _lines in RULES.values():
    check(_lines, FACT_NAMES)
check(OVERALL, OVERALL_NAMES)


def _operand(value: int | str | Ref | None, facts: Mapping[str, Any], stale_days: int) -> Any:
    if not isinstance(value, Ref):
        return value
    found = {**limits(stale_days), **facts}[value.name]
    return None if found is None else found * value.times


def holds(when: When, facts: Mapping[str, Any], stale_days: int) -> bool:
    """Whether one condition holds (as its SQL form does: nothing compares with a missing
    value)."""
    value = facts[when.fact]
    if when.op == "missing":
        return value is None
    if when.op in ("set", "unset"):
        return value is not None and bool(value) == (when.op == "set")
    other = _operand(when.value, facts, stale_days)
    return value is not None and other is not None and COMPARISONS[when.op](value, other)


def first_line(lines: tuple[Line, ...], facts: Mapping[str, Any], stale_days: int) -> Line:
    return next(line for line in lines if all(holds(when, facts, stale_days) for when in line.when))


class _ReasonFormatter(string.Formatter):
    """ "{overdue:task}" → "1 task" or "3 tasks"; other fields as usual."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.isalpha():
            return f"{value} {format_spec}" if value == 1 else f"{value} {format_spec}s"
        return super().format_field(value, format_spec)


_REASON = _ReasonFormatter()


@dataclass(frozen=True)
class Rating:
    status: str | None
    reason: str

    @property
    def name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def colour(self) -> str:
        return TAG_COLOURS.get(self.status or "", "grey")


def rate_dimension(
    key: str,
    facts: Mapping[str, Any],
    stale_days: int,
    rules: Mapping[str, tuple[Line, ...]] = RULES,
) -> Rating:
    """One dimension's status and reason from a site's facts (`Facts`, by name)."""
    line = first_line(rules[key], facts, stale_days)
    return Rating(line.status, _REASON.format(line.reason, **facts))


def overall(ratings: Mapping[str, Rating], overall_rule: tuple[Line, ...] = OVERALL) -> str | None:
    """Combine the four dimensions (`OVERALL`)."""
    statuses = [r.status for r in ratings.values()]
    facts = {
        "schedule": ratings["schedule"].status,
        "reds": statuses.count("red"),
        "ambers": statuses.count("amber"),
    }
    return first_line(overall_rule, facts, 0).status


def rate(
    f: Facts,
    stale_days: int,
    rules: Mapping[str, tuple[Line, ...]] = RULES,
    overall_rule: tuple[Line, ...] = OVERALL,
) -> tuple[dict[str, Rating], str | None]:
    facts = {name: getattr(f, name) for name in FACT_NAMES}  # (`asdict` deep-copies: slow)
    ratings = {key: rate_dimension(key, facts, stale_days, rules) for key in DIMENSIONS}
    return ratings, overall(ratings, overall_rule)


def _sentences(lines: tuple[Line, ...], stale_days: int) -> list[str]:
    """Consecutive lines giving one status read as one sentence; the last, "otherwise"."""
    values = {**limits(stale_days), "twice_stale_days": 2 * stale_days}
    sentences: list[str] = []
    previous: str | None | bool = False  # no status yet
    for line in lines:
        name = STATUS_NAMES[line.status]
        words = line.words.format(**values)
        if not line.when:
            sentences.append(f"{name} otherwise" + (f": {words}." if words else "."))
        elif line.status == previous:
            sentences[-1] = sentences[-1][:-1] + f", or {words}."
        else:
            sentences.append(f"{name} when {words}.")
        previous = line.status
    return sentences


def rules(stale_days: int) -> dict[str, list[str]]:
    """Each rule in words, for the help page, from the same lines `rate` reads (the first
    line that fits gives the status)."""
    written = {key: _sentences(lines, stale_days) for key, lines in RULES.items()}
    written["overall"] = _sentences(OVERALL, stale_days)
    return written
