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
