"""Facts about the site's people that gateway criteria and essential tasks rest on.

Each check is `check(site, facts)`, a pure function of the facts its `*_facts(site_id)`
declares (scalar subqueries the gateways feature reads with every other check's in one
SELECT); called as `check(site)` it fetches its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, select

from app.core.db import select_facts
from app.core.registry import CheckResult
from app.people.models import Group, GroupMember, Person
from app.people.queries import (
    IMPROVEMENT_GROUPS,
    MIN_PATIENTS_OR_CARERS,
    PATIENT_CATEGORIES,
    count_members,
)
from app.sites.models import Site
from app.toolkit import get_toolkit

Facts = Mapping[str, Any]
CHAMPION_ROLE = "clinical-lead"


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
    )


def champion_facts(site_id: int) -> dict[str, Any]:
    holder = _project_team_role(site_id, CHAMPION_ROLE).order_by(GroupMember.id).limit(1)
    return {"holder": holder.scalar_subquery()}


def champion_agreed(site: Site, facts: Facts | None = None) -> CheckResult:
    """Met when someone holds the champion role on the project team: the team's record
    that a clinical champion agreed to lead (the plan's task to agree one follows it)."""
    facts = select_facts(champion_facts(site.id)) if facts is None else facts
    role = get_toolkit().role(CHAMPION_ROLE).name
    if facts["holder"]:
        return CheckResult(True, f"{facts['holder']} holds the role {role} on the project team.")
    return CheckResult(False, f"No one on the project team holds the role {role}.")


def stakeholders_facts(site_id: int) -> dict[str, Any]:
    """How many of the toolkit's stakeholder categories the reference group covers, counted
    as the coverage page counts them."""
    keys = [c.key for c in get_toolkit().categories]
    covered = count_members(site_id, Person.category, "reference_group")
    return {"covered": covered.where(Person.category.in_(keys)).scalar_subquery()}


def stakeholders_listed(site: Site, facts: Facts | None = None) -> CheckResult:
    """Met when the reference group has someone in every stakeholder category."""
    facts = select_facts(stakeholders_facts(site.id)) if facts is None else facts
    total = len(get_toolkit().categories)
    covered = facts["covered"] or 0
    return CheckResult(
        covered >= total,
        f"The reference group covers {covered} of {total} stakeholder categories.",
        f"/sites/{site.id}/coverage",  # the URL scheme is a contract
    )


def patients_facts(site_id: int) -> dict[str, Any]:
    """How many patients and carers the improvement groups hold, as coverage counts them."""
    counted = count_members(site_id, Person.id, *IMPROVEMENT_GROUPS)
    return {"patients": counted.where(Person.category.in_(PATIENT_CATEGORIES)).scalar_subquery()}


def patients_involved(site: Site, facts: Facts | None = None) -> CheckResult:
    """Met when the improvement team includes at least MIN_PATIENTS_OR_CARERS patients or
    carers (the national audit's advice)."""
    facts = select_facts(patients_facts(site.id)) if facts is None else facts
    found = facts["patients"] or 0
    return CheckResult(
        found >= MIN_PATIENTS_OR_CARERS,
        f"{found} patient{'s' if found != 1 else ''} or carers in the improvement team; "
        f"at least {MIN_PATIENTS_OR_CARERS} are advised.",
        f"/sites/{site.id}/coverage",
    )
