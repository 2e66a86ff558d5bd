"""Criteria the app can answer itself, registered by the features that hold the answer.

A feature's `register()` calls `registry.add_gateway_check("needs_entered", my_check,
"sites.needs.index", facts=my_facts)` (keys from the toolkit's outcomes). `my_facts(site_id)`
names the scalar subqueries the check reads; readiness fetches the facts of every check in
one SELECT and calls `my_check(site, facts)`, a pure function of them. Called as
`my_check(site)` a check fetches its own facts (tests, one-off callers). Until a key is
registered, its outcome is confirmed by a person instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, Select, func, select

from app.core.db import select_facts
from app.core.registry import GatewayCheck
from app.kpis.models import KpiValue
from app.people.models import Group, GroupMember, Person
from app.plan.models import Plan, Task
from app.sites.models import Site
from app.toolkit import get_toolkit

Facts = Mapping[str, Any]


@dataclass(frozen=True)
class CheckResult:
    met: bool
    detail: str  # why, in a sentence a sponsor can read
    fix_endpoint: str | None = None  # a page under the site where it gets fixed


def _project_team_role(site_id: int, role_key: str) -> Select:
    """People on the site's project team holding `role_key` (erased people hold nothing)."""
    return (
        select(Person.name)
        .join(GroupMember, GroupMember.person_id == Person.id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(
            Group.site_id == site_id,
            Group.kind == "project_team",
            GroupMember.team_role == role_key,
            Person.erased.is_(False),
        )
    )


def team_roles_facts(site_id: int) -> dict[str, Any]:
    return {r.key: _project_team_role(site_id, r.key).exists() for r in get_toolkit().roles}


def team_roles_filled(site: Site, facts: Facts | None = None) -> CheckResult:
    facts = select_facts(team_roles_facts(site.id)) if facts is None else facts
    roles = get_toolkit().roles
    missing = [r.name for r in roles if not facts[r.key]]
    if not missing:
        return CheckResult(True, f"All {len(roles)} project team roles are held.")
    return CheckResult(
        False,
        f"{len(roles) - len(missing)} of {len(roles)} team roles held; missing: "
        + ", ".join(missing)
        + ".",
        "sites.people.index",
    )


def plan_facts(site_id: int) -> dict[str, Any]:
    owned = (Task.owner_id.is_not(None)) & (Person.erased.is_(False))
    counted = (
        select()
        .select_from(Task)
        .outerjoin(Person, Person.id == Task.owner_id)
        .where(Task.site_id == site_id, Task.status != "not_applicable")
    )
    return {
        "has_plan": select(Plan.id).where(Plan.site_id == site_id).exists(),
        "tasks": counted.add_columns(func.count(Task.id)).scalar_subquery(),
        "ready": counted.add_columns(
            func.count(Task.id).filter(owned & Task.due_date.is_not(None))
        ).scalar_subquery(),
    }


def plan_populated(site: Site, facts: Facts | None = None) -> CheckResult:
    """Met when every task still in the plan has an owner and a target date.

    Threshold: all of them. Tasks marked not applicable are left out (they will never be
    done); an erased person no longer owns anything. One unowned task is enough to fail,
    because the criterion says "for each".
    """
    facts = select_facts(plan_facts(site.id)) if facts is None else facts
    tasks, ready = facts["tasks"], facts["ready"]
    if not facts["has_plan"] or not tasks:
        return CheckResult(False, "The site has no project plan yet.", "sites.plan.index")
    evidence = f"{ready} of {tasks} tasks have an owner and a target date."
    if ready < tasks:
        return CheckResult(False, evidence + " Every task needs both.", "sites.plan.index")
    return CheckResult(True, evidence)


CHAMPION_ROLE = "clinical-lead"
CHAMPION_TASK = "agree-clinical-champion"


def champion_facts(site_id: int) -> dict[str, Any]:
    def task(column: Any) -> ScalarSelect:
        return (
            select(column)
            .where(Task.site_id == site_id, Task.library_key == CHAMPION_TASK)
            .order_by(Task.id)
            .limit(1)
            .scalar_subquery()
        )

    holder = _project_team_role(site_id, CHAMPION_ROLE).order_by(GroupMember.id).limit(1)
    return {
        "holder": holder.scalar_subquery(),
        "task_status": task(Task.status),
        "task_title": task(Task.title),
        "task_completed": task(Task.completed_date),
    }


def champion_agreed(site: Site, facts: Facts | None = None) -> CheckResult:
    """Met when someone holds the champion role on the project team, or the plan's
    "agree the clinical champion" task is complete: either is the team's record of it."""
    facts = select_facts(champion_facts(site.id)) if facts is None else facts
    role = get_toolkit().role(CHAMPION_ROLE).name
    if facts["holder"]:
        return CheckResult(True, f"{facts['holder']} holds the role {role} on the project team.")
    if facts["task_status"] == "complete":
        completed = facts["task_completed"]
        when = f" on {completed:%d/%m/%Y}" if completed else ""
        return CheckResult(
            True, f"The plan task \u201c{facts['task_title']}\u201d was completed{when}."
        )
    return CheckResult(
        False,
        f"No one on the project team holds the role {role}, and the plan task to agree "
        "the champion is not complete.",
        "sites.people.index",
    )


TRACKED_PERIODS = 6


def kpis_tracked_facts(site_id: int) -> dict[str, Any]:
    """The KPI with the most periods recorded (the lowest number on a tie)."""

    def best(column: Any) -> ScalarSelect:
        return (
            select(column)
            .where(KpiValue.site_id == site_id)
            .group_by(KpiValue.kpi_number)
            .order_by(func.count(KpiValue.id).desc(), KpiValue.kpi_number)
            .limit(1)
            .scalar_subquery()
        )

    return {
        "number": best(KpiValue.kpi_number),
        "periods": best(func.count(KpiValue.id)),
        "first": best(func.min(KpiValue.period_start)),
        "last": best(func.max(KpiValue.period_start)),
    }


def kpis_tracked(site: Site, facts: Facts | None = None) -> CheckResult:
    """Met when at least one KPI has values for TRACKED_PERIODS or more periods.

    One value shows where a service is, not whether it is improving: a run chart needs a
    series. Six months (or six quarters) is the shortest run we call "over time".
    """
    facts = select_facts(kpis_tracked_facts(site.id)) if facts is None else facts
    if facts["number"] is None:
        return CheckResult(False, "No KPI values have been recorded yet.", "sites.kpis.index")
    number, periods, first, last = (facts[k] for k in ("number", "periods", "first", "last"))
    evidence = (
        f"KPI {number} has values for {periods} period{'s' if periods != 1 else ''}, "
        f"{first:%b %Y} to {last:%b %Y}"
    )
    if periods < TRACKED_PERIODS:
        return CheckResult(
            False,
            f"{evidence}; at least {TRACKED_PERIODS} are needed to see a trend.",
            "sites.kpis.index",
        )
    return CheckResult(True, evidence + ".")


def run_check(entry: GatewayCheck, site: Site, facts: Facts | None) -> CheckResult:
    """One registered check's answer as a CheckResult; `facts` are those it declared.

    A feature's check returns `(met, reason, link)`; an unmet one points at the page
    registered with it. A check that declares no facts reads its own.
    """
    result = entry.check(site) if entry.facts is None else entry.check(site, facts)
    if isinstance(result, CheckResult):
        return result
    met, reason, _link = result
    return CheckResult(met, reason, None if met else entry.fix_endpoint)
