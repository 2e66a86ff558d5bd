"""Criteria the app can answer itself: a registry that other features add to.

A feature registers `AUTO_CHECKS["needs_entered"] = my_check` (keys from the toolkit's
outcomes). Until a key is registered, its outcome is confirmed by a person instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from sqlalchemy import func, select

from app.extensions import db
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
    has_plan = db.session.scalar(select(Plan.id).where(Plan.site_id == site.id)) is not None
    tasks, owned = db.session.execute(
        select(func.count(Task.id), func.count(Task.owner_id)).where(Task.site_id == site.id)
    ).one()
    if not has_plan or not tasks:
        return CheckResult(False, "The site has no project plan yet.", "sites.plan.index")
    return CheckResult(True, f"The plan has {tasks} tasks, {owned} of them with an owner.")


def _feature_check(reference: str, fix_endpoint: str) -> Callable[[Site], CheckResult]:
    """Adapt a feature's `check(site) -> (met, reason, link)` to a CheckResult.

    Imported when the check runs: the features import the sites package themselves.
    """

    def _check(site: Site) -> CheckResult:
        module, name = reference.split(":")
        met, reason, _link = getattr(import_module(module), name)(site)
        return CheckResult(met, reason, None if met else fix_endpoint)

    return _check


AUTO_CHECKS: dict[str, Callable[[Site], CheckResult]] = {
    "team_roles_filled": team_roles_filled,
    "plan_populated": plan_populated,
    "reference_group_minutes_issued": _feature_check(
        "app.meetings.queries:reference_group_minutes_issued", "sites.meetings.index"
    ),
    "needs_entered": _feature_check("app.needs.service:needs_entered", "sites.needs.index"),
    "kpis_recorded": _feature_check("app.kpis.service:kpis_recorded", "sites.kpis.index"),
    "pid_agreed": _feature_check("app.documents.service:pid_agreed", "sites.documents.index"),
    "spec_drafted": _feature_check(
        "app.business_case.service:spec_drafted", "sites.business_case.specification"
    ),
    "funding_route_known": _feature_check(
        "app.business_case.service:funding_route_known", "sites.business_case.route"
    ),
    "case_approved": _feature_check(
        "app.business_case.service:case_approved", "sites.business_case.decision"
    ),
}
