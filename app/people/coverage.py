"""Who is missing: reference-group categories, project-team roles, patients and carers,
and the power/interest grid. Three queries whatever the number of people; the overview's
panel reads its numbers as facts (no query of its own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from app.extensions import db
from app.people.models import Group, GroupMember, Person
from app.people.service import ensure_standard_groups
from app.sites.models import Site
from app.toolkit import get_toolkit

# The FLS-DB report recommends an improvement team with at least two patients or carers.
PATIENT_CATEGORIES = ("patients", "carers")
MIN_PATIENTS_OR_CARERS = 2
IMPROVEMENT_GROUPS = ("project_team", "reference_group", "steering_group")

# (key, name, influence, interest)
QUADRANTS = (
    ("manage_closely", "Manage closely", "high", "high"),
    ("keep_satisfied", "Keep satisfied", "high", "low"),
    ("keep_informed", "Keep informed", "low", "high"),
    ("monitor", "Monitor", "low", "low"),
)
QUADRANT_ADVICE = {
    "manage_closely": "Involve them fully and meet them regularly.",
    "keep_satisfied": "Brief them on decisions that affect them; do not overload them.",
    "keep_informed": "Keep them up to date and listen to what they raise.",
    "monitor": "Check now and then whether their interest or influence has changed.",
}
NAMES_SHOWN_IN_GRID = 8


@dataclass
class CategoryCoverage:
    key: str
    name: str
    examples: str
    members: list[Person] = field(default_factory=list)


@dataclass
class RoleCoverage:
    key: str
    name: str
    holders: list[Person] = field(default_factory=list)


@dataclass
class Quadrant:
    key: str
    name: str
    influence: str
    interest: str
    people: list[Person] = field(default_factory=list)

    @property
    def advice(self) -> str:
        return QUADRANT_ADVICE[self.key]

    @property
    def shown(self) -> list[Person]:
        return self.people[:NAMES_SHOWN_IN_GRID]

    @property
    def more(self) -> int:
        return max(len(self.people) - NAMES_SHOWN_IN_GRID, 0)


@dataclass
class Coverage:
    categories: list[CategoryCoverage]
    other_members: list[Person]
    roles: list[RoleCoverage]
    patients_and_carers: list[Person]
    quadrants: list[Quadrant]
    reference_group: Group | None
    project_team: Group | None

    @property
    def empty_categories(self) -> list[CategoryCoverage]:
        return [c for c in self.categories if not c.members]

    @property
    def vacant_roles(self) -> list[RoleCoverage]:
        return [r for r in self.roles if not r.holders]

    @property
    def patients_met(self) -> bool:
        return len(self.patients_and_carers) >= MIN_PATIENTS_OR_CARERS


def site_coverage(site: Site, ensure_groups: bool = True) -> Coverage:
    if ensure_groups:
        ensure_standard_groups(site)
    groups = {
        g.kind: g
        for g in db.session.scalars(
            select(Group).where(Group.site_id == site.id, Group.kind != "custom")
        )
    }
    toolkit = get_toolkit()
    categories = {c.key: CategoryCoverage(c.key, c.name, c.examples) for c in toolkit.categories}
    roles = {r.key: RoleCoverage(r.key, r.name) for r in toolkit.roles}
    other: list[Person] = []
    patients: dict[int, Person] = {}
    seen_in_reference: set[int] = set()
    rows = db.session.execute(
        select(GroupMember.team_role, Group.kind, Person)
        .join(Group, Group.id == GroupMember.group_id)
        .join(Person, Person.id == GroupMember.person_id)
        .where(
            GroupMember.site_id == site.id,
            Group.kind.in_(IMPROVEMENT_GROUPS),
            Person.erased.is_(False),
        )
        .order_by(func.lower(Person.name), Person.id)
    ).all()
    for team_role, kind, person in rows:
        if person.category in PATIENT_CATEGORIES:
            patients[person.id] = person
        if kind == "project_team" and team_role in roles:
            roles[team_role].holders.append(person)
        if kind == "reference_group" and person.id not in seen_in_reference:
            seen_in_reference.add(person.id)
            if person.category in categories:
                categories[person.category].members.append(person)
            else:
                other.append(person)
    quadrants = [Quadrant(*q) for q in QUADRANTS]
    by_levels = {(q.influence, q.interest): q for q in quadrants}
    everyone = db.session.scalars(
        select(Person)
        .where(Person.site_id == site.id, Person.erased.is_(False))
        .order_by(func.lower(Person.name), Person.id)
    )
    for person in everyone:
        quadrant = by_levels.get((person.influence, person.interest), quadrants[-1])
        quadrant.people.append(person)
    return Coverage(
        categories=list(categories.values()),
        other_members=other,
        roles=list(roles.values()),
        patients_and_carers=list(patients.values()),
        quadrants=quadrants,
        reference_group=groups.get("reference_group"),
        project_team=groups.get("project_team"),
    )


def _count_members(site_id: int, counted: ColumnElement, *kinds: str) -> Select:
    """Count `counted` (distinct) over members of the site's groups of these kinds, as
    `site_coverage` reads them (erased people left out)."""
    return (
        select(func.count(distinct(counted)))
        .select_from(GroupMember)
        .join(Group, Group.id == GroupMember.group_id)
        .join(Person, Person.id == GroupMember.person_id)
        .where(GroupMember.site_id == site_id, Group.kind.in_(kinds), Person.erased.is_(False))
    )


def overview_facts(site_id: int) -> dict[str, ScalarSelect]:
    """The panel's numbers as facts (the overview reads them with the other panels')."""
    toolkit = get_toolkit()
    return {
        "people_count": select(func.count(Person.id))
        .where(Person.site_id == site_id, Person.erased.is_(False))
        .scalar_subquery(),
        "categories_covered": _count_members(site_id, Person.category, "reference_group")
        .where(Person.category.in_([c.key for c in toolkit.categories]))
        .scalar_subquery(),
        "roles_filled": _count_members(site_id, GroupMember.team_role, "project_team")
        .where(GroupMember.team_role.in_([r.key for r in toolkit.roles]))
        .scalar_subquery(),
        "patients": _count_members(site_id, Person.id, *IMPROVEMENT_GROUPS)
        .where(Person.category.in_(PATIENT_CATEGORIES))
        .scalar_subquery(),
    }


def coverage_summary(site: Site, facts: dict[str, Any]) -> dict:
    """The overview page's panel: numbers only, all from its facts (no query of its own)."""
    toolkit = get_toolkit()
    return {
        "people_count": facts["people_count"],
        "categories_covered": facts["categories_covered"],
        "categories_total": len(toolkit.categories),
        "roles_filled": facts["roles_filled"],
        "roles_total": len(toolkit.roles),
        "patients_met": facts["patients"] >= MIN_PATIENTS_OR_CARERS,
    }
