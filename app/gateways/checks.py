"""Criteria the app can answer itself, registered by the features that hold the answer.

A feature's `register()` calls `registry.add_gateway_check("needs_entered", my_check,
"sites.needs.index")` (keys from the toolkit's outcomes). Until a key is registered, its
outcome is confirmed by a person instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.core.registry import GatewayCheck, registry
from app.extensions import db
from app.kpis.models import KpiValue
from app.people.models import Group, GroupMember, Person
from app.plan.models import Plan, Task
from app.sites.models import Site
from app.toolkit import get_toolkit


@dataclass(frozen=True)
class CheckResult:
    met: bool
    detail: str  # why, in a sentence a sponsor can read
    fix_endpoint: str | None = None  # a page under the site where it gets fixed


def team_roles_filled(site: Site) -> CheckResult:
    held = set(
        db.session.scalars(
            select(GroupMember.team_role)
            .join(Group, Group.id == GroupMember.group_id)
            .join(Person, Person.id == GroupMember.person_id)
            .where(
                Group.site_id == site.id,
                Group.kind == "project_team",
                GroupMember.team_role != "",
                Person.erased.is_(False),
            )
        )
    )
    roles = get_toolkit().roles
    missing = [r.name for r in roles if r.key not in held]
    if not missing:
        return CheckResult(True, f"All {len(roles)} project team roles are held.")
    return CheckResult(
        False,
        f"{len(roles) - len(missing)} of {len(roles)} team roles held; missing: "
        + ", ".join(missing)
        + ".",
        "sites.people.index",
    )


def plan_populated(site: Site) -> CheckResult:
    """Met when every task still in the plan has an owner and a target date.

    Threshold: all of them. Tasks marked not applicable are left out (they will never be
    done); an erased person no longer owns anything. One unowned task is enough to fail,
    because the criterion says "for each".
    """
    has_plan = db.session.scalar(select(Plan.id).where(Plan.site_id == site.id)) is not None
    owned = (Task.owner_id.is_not(None)) & (Person.erased.is_(False))
    tasks, ready = db.session.execute(
        select(
            func.count(Task.id),
            func.count(Task.id).filter(owned & Task.due_date.is_not(None)),
        )
        .outerjoin(Person, Person.id == Task.owner_id)
        .where(Task.site_id == site.id, Task.status != "not_applicable")
    ).one()
    if not has_plan or not tasks:
        return CheckResult(False, "The site has no project plan yet.", "sites.plan.index")
    evidence = f"{ready} of {tasks} tasks have an owner and a target date."
    if ready < tasks:
        return CheckResult(False, evidence + " Every task needs both.", "sites.plan.index")
    return CheckResult(True, evidence)


CHAMPION_ROLE = "clinical-lead"
CHAMPION_TASK = "agree-clinical-champion"


def champion_agreed(site: Site) -> CheckResult:
    """Met when someone holds the champion role on the project team, or the plan's
    "agree the clinical champion" task is complete: either is the team's record of it."""
    holder = db.session.scalar(
        select(Person.name)
        .join(GroupMember, GroupMember.person_id == Person.id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(
            Group.site_id == site.id,
            Group.kind == "project_team",
            GroupMember.team_role == CHAMPION_ROLE,
            Person.erased.is_(False),
        )
        .order_by(GroupMember.id)
        .limit(1)
    )
    role = get_toolkit().role(CHAMPION_ROLE).name
    if holder:
        return CheckResult(True, f"{holder} holds the role {role} on the project team.")
    task = db.session.scalar(
        select(Task)
        .where(Task.site_id == site.id, Task.library_key == CHAMPION_TASK)
        .order_by(Task.id)
        .limit(1)
    )
    if task is not None and task.status == "complete":
        when = f" on {task.completed_date:%d/%m/%Y}" if task.completed_date else ""
        return CheckResult(True, f"The plan task \u201c{task.title}\u201d was completed{when}.")
    return CheckResult(
        False,
        f"No one on the project team holds the role {role}, and the plan task to agree "
        "the champion is not complete.",
        "sites.people.index",
    )


TRACKED_PERIODS = 6


def kpis_tracked(site: Site) -> CheckResult:
    """Met when at least one KPI has values for TRACKED_PERIODS or more periods.

    One value shows where a service is, not whether it is improving: a run chart needs a
    series. Six months (or six quarters) is the shortest run we call "over time".
    """
    best = db.session.execute(
        select(
            KpiValue.kpi_number,
            func.count(KpiValue.id),
            func.min(KpiValue.period_start),
            func.max(KpiValue.period_start),
        )
        .where(KpiValue.site_id == site.id)
        .group_by(KpiValue.kpi_number)
        .order_by(func.count(KpiValue.id).desc(), KpiValue.kpi_number)
        .limit(1)
    ).first()
    if best is None:
        return CheckResult(False, "No KPI values have been recorded yet.", "sites.kpis.index")
    number, periods, first, last = best
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


def auto_checks() -> dict[str, Callable[[Site], CheckResult]]:
    """Every registered check, adapted to a CheckResult.

    A feature's check returns `(met, reason, link)`; an unmet one points at the page
    registered with it.
    """
    return {key: _adapt(entry) for key, entry in registry().gateway_checks.items()}


def _adapt(entry: GatewayCheck) -> Callable[[Site], CheckResult]:
    def _check(site: Site) -> CheckResult:
        result = entry.check(site)
        if isinstance(result, CheckResult):
            return result
        met, reason, _link = result
        return CheckResult(met, reason, None if met else entry.fix_endpoint)

    return _check
