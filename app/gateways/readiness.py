"""Readiness: each phase's criteria (checked by the app where it can), in a fixed few
statements however many phases are evaluated.

A check lives beside the data it reads (`app/<feature>/checks.py`), registered with
`registry.add_gateway_check(key, check, fix_endpoint, facts=...)`: `facts(site_id)` names
the scalar subqueries it reads and `check(site, facts)` answers a `CheckResult` from them.
The facts of every check the phases asked for come from ONE SELECT, together with people's
answers to the other criteria. The essential tasks are one more statement for all those
phases; a task whose fact is already a criterion of the phase (its `done_when` is the
outcome's check) is not listed twice. Where only the counts are shown (the gateways list,
the overview), `summaries` answers everything in one statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, or_, select

from app.core.db import select_facts
from app.core.registry import CheckResult, registry
from app.extensions import db
from app.gateways.models import CRITERION_STATES, CriterionConfirmation
from app.needs.figures import for_nation
from app.plan.models import Task
from app.sites.models import Site
from app.toolkit import Outcome, get_toolkit
from app.toolkit.vocabulary import gateway_phase_numbers

PHASES = gateway_phase_numbers()


@dataclass
class Criterion:
    key: str
    text: str
    kind: str  # "auto" (the app checks), "task" (an essential task), "person" (confirmed)
    state: str  # met / not_met / not_applicable
    detail: str = ""
    evidence_url: str = ""
    fix_url: str | None = None
    version: int = 0  # of a person's confirmation (0: none yet), sent back to detect overlaps
    # what the app knows about a criterion a person confirms (an outcome's `app_view`)
    app_met: bool | None = None
    app_detail: str = ""
    app_url: str | None = None

    @property
    def state_label(self) -> str:
        return CRITERION_STATES[self.state]


@dataclass
class Readiness:
    criteria: list[Criterion]

    @property
    def applicable(self) -> int:
        return sum(1 for c in self.criteria if c.state != "not_applicable")

    @property
    def met(self) -> int:
        return sum(1 for c in self.criteria if c.state == "met")

    @property
    def blockers(self) -> list[Criterion]:
        return [c for c in self.criteria if c.state == "not_met"]

    @property
    def ready(self) -> bool:
        return not self.blockers

    @property
    def label(self) -> str:
        return f"{self.met} of {self.applicable} met"


@dataclass(frozen=True)
class Summary:
    """A phase's readiness as counts only: what the gateways list and the overview show."""

    total: int
    met: int
    not_applicable: int

    @property
    def applicable(self) -> int:
        return self.total - self.not_applicable

    @property
    def ready(self) -> bool:
        return self.met + self.not_applicable == self.total

    @property
    def label(self) -> str:
        return f"{self.met} of {self.applicable} met"


def _fix_url(endpoint: str | None, **values) -> str | None:
    """A link to the page that fixes a criterion; none outside a request (demo, CLI)."""
    if has_request_context() and endpoint and endpoint in current_app.view_functions:
        return url_for(endpoint, **values)
    return None


def _check_keys(phases: Iterable[int]) -> list[str]:
    """The registered checks the phases' outcomes use (to decide them, or to show beside a
    person's answer), each once, in outcome order."""
    checks = registry().gateway_checks
    toolkit = get_toolkit()
    keys = (
        k for p in phases for o in toolkit.phase(p).outcomes for k in (o.auto_check, o.app_view)
    )
    return list(dict.fromkeys(k for k in keys if k in checks))


def _decides(outcome: Outcome) -> bool:
    """True when the app answers this outcome itself (its check is registered)."""
    return outcome.auto_check in registry().gateway_checks


@lru_cache
def tasks_said_by_outcomes(phase: int) -> frozenset[str]:
    """Library keys of the phase's tasks whose fact is already one of its criteria (decides
    it, or is shown beside it): a gateway lists each fact once, so those essential tasks are
    not criteria of their own."""
    outcomes = get_toolkit().phase(phase).outcomes
    checked = {k for o in outcomes for k in (o.auto_check, o.app_view) if k}
    return frozenset(t.key for t in get_toolkit().tasks if t.done_when in checked)


def _fact_columns(site_id: int, keys: list[str]) -> tuple[dict[str, Any], list]:
    """Every declared fact of these checks under a short label, and how to read them back."""
    checks = registry().gateway_checks
    where = _fact_labels(keys)
    expressions = [expr for key in keys for expr in checks[key].facts(site_id).values()]
    return {label: expr for (label, _, _), expr in zip(where, expressions, strict=True)}, where


@lru_cache
def _fact_names(declare: Callable[[int], dict[str, Any]]) -> tuple[str, ...]:
    """A check's fact names, the same for every site (only the SQL differs)."""
    return tuple(declare(0))


def _fact_labels(keys: list[str]) -> list[tuple[str, str, str]]:
    """`_fact_columns`' read-back list without building the SQL again."""
    checks = registry().gateway_checks
    where: list[tuple[str, str, str]] = []
    for key in keys:
        declare = checks[key].facts
        for name in _fact_names(declare):
            where.append((f"f{len(where)}", key, name))
    return where


def _results(site: Site, keys: list[str], row: dict[str, Any], where: list) -> dict:
    facts: dict[str, dict[str, Any]] = {key: {} for key in keys}
    for label, key, name in where:
        facts[key][name] = row[label]
    checks = registry().gateway_checks
    return {key: checks[key].check(site, facts[key]) for key in keys}


def check_results(site: Site, phases: Iterable[int]) -> dict[str, CheckResult]:
    """{check key: result} for every check the phases use: one SELECT for all their facts."""
    return results_of(site, _check_keys(phases))


def results_of(site: Site, keys: list[str]) -> dict[str, CheckResult]:
    """{check key: result} for these registered checks: one SELECT for all their facts."""
    columns, where = _fact_columns(site.id, keys)
    return _results(site, keys, select_facts(columns), where)


@dataclass(frozen=True)
class Answer:
    """A person's confirmation of a criterion, as readiness shows it."""

    state: str
    note: str
    evidence_url: str
    version: int


ANSWER_FIELDS = ("state", "note", "evidence_url", "version")


def _answer_columns(site: Site, phases: list[int]) -> dict[tuple[int, str], dict[str, Any]]:
    """{(phase, outcome key): {field: scalar subquery}} for outcomes a person confirms: at
    most one row each (unique per site, phase and key), so they join the facts SELECT."""
    found = {}
    for phase in phases:
        for outcome in get_toolkit().phase(phase).outcomes:
            if _decides(outcome):
                continue
            answer = select().where(
                CriterionConfirmation.site_id == site.id,
                CriterionConfirmation.phase == phase,
                CriterionConfirmation.criterion_key == outcome.key,
            )
            found[(phase, outcome.key)] = {
                name: answer.add_columns(getattr(CriterionConfirmation, name)).scalar_subquery()
                for name in ANSWER_FIELDS
            }
    return found


def evaluate(site: Site, phases: Iterable[int]) -> dict[int, Readiness]:
    """{phase: Readiness}, the criteria in full, in two statements for all the phases: the
    checks' facts with people's answers, then the essential tasks."""
    phases = list(phases)
    keys = _check_keys(phases)
    columns, where = _fact_columns(site.id, keys)
    labels: dict[tuple[int, str], dict[str, str]] = {}
    for place, fields in _answer_columns(site, phases).items():
        labels[place] = {}
        for name, expr in fields.items():
            labels[place][name] = label = f"a{len(columns)}"
            columns[label] = expr
    row = select_facts(columns)
    results = _results(site, keys, row, where)
    answers = {
        place: Answer(*(row[label[name]] for name in ANSWER_FIELDS))
        for place, label in labels.items()
        if row[label["state"]] is not None
    }
    tasks: dict[int, list[Task]] = {phase: [] for phase in phases}
    for task in db.session.scalars(
        select(Task)
        .where(Task.site_id == site.id, Task.phase.in_(phases), Task.essential.is_(True))
        .order_by(Task.position, Task.id)
    ):
        if task.library_key not in tasks_said_by_outcomes(task.phase):
            tasks[task.phase].append(task)
    return {phase: _readiness(site, phase, results, answers, tasks[phase]) for phase in phases}


def criteria(site: Site, phase: int) -> Readiness:
    """The phase's outcomes (checked by the app where it can) and its essential tasks."""
    return evaluate(site, [phase])[phase]


def _readiness(
    site: Site,
    phase: int,
    results: dict[str, CheckResult],
    answers: dict[tuple[int, str], Answer],
    tasks: list[Task],
) -> Readiness:
    checks = registry().gateway_checks
    items: list[Criterion] = []
    outcomes = get_toolkit().phase(phase).outcomes
    # the toolkit's words with the nation's own audits (Scotland: no FLS-DB or NHFD), so the
    # gateway page, its record and the Word record all say the same
    texts = {outcome.key: for_nation(outcome.text, site.nation) for outcome in outcomes}
    for outcome in outcomes:
        if _decides(outcome):
            result = results[outcome.auto_check]
            fix = checks[outcome.auto_check].fix_endpoint
            items.append(
                Criterion(
                    outcome.key,
                    texts[outcome.key],
                    "auto",
                    "met" if result.met else "not_met",
                    result.detail,
                    evidence_url=(result.link or "") if result.met else "",
                    fix_url=None if result.met else _fix_url(fix, site_id=site.id),
                )
            )
            continue
        answer = answers.get((phase, outcome.key))
        view = results.get(outcome.app_view or "")
        items.append(
            Criterion(
                outcome.key,
                texts[outcome.key],
                "person",
                answer.state if answer else "not_met",
                answer.note if answer else "Not confirmed yet.",
                answer.evidence_url if answer else "",
                version=answer.version if answer else 0,
                app_met=view.met if view else None,
                app_detail=view.detail if view else "",
                app_url=view.link if view else None,
            )
        )
    for task in tasks:
        state = {"complete": "met", "not_applicable": "not_applicable"}.get(task.status, "not_met")
        detail = {
            "met": "Task complete.",
            "not_applicable": task.notes or "Marked not applicable on the plan.",
        }.get(state, "Essential task not complete yet.")
        items.append(
            Criterion(
                f"task-{task.id}",
                f"Essential task: {task.title}",
                "task",
                state,
                detail,
                fix_url=_fix_url("sites.plan.task", site_id=site.id, task_id=task.id),
            )
        )
    return Readiness(items)


def summary_facts(site_id: int, phases: Sequence[int]) -> dict[str, Any]:
    """The facts `summaries` reads, as labelled one-value SQL: the checks' facts beside
    counts of people's answers and essential tasks per phase (a page may read them among
    its other facts: the overview's gateway card does)."""
    toolkit = get_toolkit()
    columns, _where = _fact_columns(site_id, _check_keys(phases))
    for phase in phases:
        person_keys = [o.key for o in toolkit.phase(phase).outcomes if not _decides(o)]
        answers = select(CriterionConfirmation.state).where(
            CriterionConfirmation.site_id == site_id,
            CriterionConfirmation.phase == phase,
            CriterionConfirmation.criterion_key.in_(person_keys),
        )
        essential = select(Task.status).where(
            Task.site_id == site_id,
            Task.phase == phase,
            Task.essential.is_(True),
            or_(
                Task.library_key.is_(None),
                Task.library_key.not_in(sorted(tasks_said_by_outcomes(phase))),
            ),
        )
        for name, query, column, state in (
            ("answers_met", answers, CriterionConfirmation.state, "met"),
            ("answers_na", answers, CriterionConfirmation.state, "not_applicable"),
            ("tasks_met", essential, Task.status, "complete"),
            ("tasks_na", essential, Task.status, "not_applicable"),
            ("tasks", essential, None, None),
        ):
            counted = func.count() if column is None else func.count().filter(column == state)
            columns[f"p{phase}_{name}"] = query.with_only_columns(counted).scalar_subquery()
    return columns


def summaries_from(site: Site, phases: Sequence[int], row: Mapping[str, Any]) -> dict[int, Summary]:
    """{phase: Summary} from the values of `summary_facts` for the same phases."""
    toolkit = get_toolkit()
    keys = _check_keys(phases)
    results = _results(site, keys, row, _fact_labels(keys))
    found: dict[int, Summary] = {}
    for phase in phases:
        outcomes = toolkit.phase(phase).outcomes
        auto_met = sum(1 for o in outcomes if _decides(o) and results[o.auto_check].met)
        found[phase] = Summary(
            total=len(outcomes) + row[f"p{phase}_tasks"],
            met=auto_met + row[f"p{phase}_answers_met"] + row[f"p{phase}_tasks_met"],
            not_applicable=row[f"p{phase}_answers_na"] + row[f"p{phase}_tasks_na"],
        )
    return found


def summaries(site: Site, phases: Iterable[int]) -> dict[int, Summary]:
    """{phase: Summary} in ONE statement."""
    phases = list(phases)
    return summaries_from(site, phases, select_facts(summary_facts(site.id, phases)))


def snapshot(readiness: Readiness) -> list[dict]:
    return [
        {k: v for k, v in asdict(c).items() if k in ("key", "text", "state", "detail")}
        for c in readiness.criteria
    ]
