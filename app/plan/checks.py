"""Facts about the plan that gateway criteria rest on (see app/people/checks.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from app.core.db import select_facts
from app.core.registry import CheckResult
from app.people.models import Person
from app.plan.models import Plan, Task
from app.sites.models import Site


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


def plan_populated(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    """Met when every task still in the plan has an owner and a target date.

    Threshold: all of them. Tasks marked not applicable are left out (they will never be
    done); an erased person no longer owns anything. One unowned task is enough to fail,
    because the criterion says "for each".
    """
    facts = select_facts(plan_facts(site.id)) if facts is None else facts
    tasks, ready = facts["tasks"], facts["ready"]
    if not facts["has_plan"] or not tasks:
        return CheckResult(False, "The site has no project plan yet.")
    evidence = f"{ready} of {tasks} tasks have an owner and a target date."
    if ready < tasks:
        return CheckResult(False, evidence + " Every task needs both.")
    return CheckResult(True, evidence, f"/sites/{site.id}/plan")
