"""Reads of people and groups for pages and other features, and who is missing: reference-group
categories, project-team roles, patients and carers, and the power/interest grid (three
queries whatever the number of people). The overview's panel reads its numbers as facts
(no query of its own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, distinct, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from app.extensions import db
from app.people.groups import ensure_standard_groups
from app.people.models import GROUP_KINDS, Group, GroupMember, Person
from app.sites.models import Membership, Site
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


def count_members(site_id: int, counted: ColumnElement, *kinds: str) -> Select:
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
        "categories_covered": count_members(site_id, Person.category, "reference_group")
        .where(Person.category.in_([c.key for c in toolkit.categories]))
        .scalar_subquery(),
        "roles_filled": count_members(site_id, GroupMember.team_role, "project_team")
        .where(GroupMember.team_role.in_([r.key for r in toolkit.roles]))
        .scalar_subquery(),
        "patients": count_members(site_id, Person.id, *IMPROVEMENT_GROUPS)
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


# --- Look-ups other features call -------------------------------------------------------


def people_choices(site_id: int) -> list[tuple[int, str]]:
    """(id, "Name (job title)") for owner selects: everyone not erased, by name; one query."""
    rows = db.session.execute(
        select(Person.id, Person.name, Person.job_title)
        .where(Person.site_id == site_id, Person.erased.is_(False))
        .order_by(func.lower(Person.name), Person.id)
    ).all()
    return [(pid, f"{name} ({title})" if title else name) for pid, name, title in rows]


def person_in_site(site_id: int, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    return db.session.scalar(
        select(Person).where(Person.id == person_id, Person.site_id == site_id)
    )


def group_of_kind(site_id: int, kind: str) -> Group | None:
    return db.session.scalars(
        select(Group).where(Group.site_id == site_id, Group.kind == kind).order_by(Group.id)
    ).first()


def site_users(site_id: int) -> list[tuple[int, str]]:
    """(user id, name) of the site's members, for linking a person to an app account."""
    from app.accounts.models import User

    rows = db.session.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.site_id == site_id)
        .order_by(User.name)
    ).all()
    return [(uid, name) for uid, name in rows]


@dataclass
class PeopleFilter:
    text: str = ""
    category: str = ""
    group_id: int | None = None
    engagement: str = ""


def list_people(site: Site, flt: PeopleFilter | None = None) -> list[Person]:
    """The site's people, filtered, with their groups loaded: a fixed number of queries."""
    flt = flt or PeopleFilter()
    query = (
        select(Person)
        .where(Person.site_id == site.id)
        .options(selectinload(Person.group_links).joinedload(GroupMember.group))
        .order_by(Person.erased, func.lower(Person.name), Person.id)
    )
    if flt.text:
        like = f"%{flt.text.lower()}%"
        query = query.where(
            or_(
                func.lower(Person.name).like(like),
                func.lower(Person.job_title).like(like),
                func.lower(Person.organisation).like(like),
                func.lower(Person.email).like(like),
                func.lower(Person.notes).like(like),
            )
        )
    if flt.category:
        query = query.where(Person.category == flt.category)
    if flt.engagement:
        query = query.where(Person.engagement == flt.engagement)
    if flt.group_id:
        query = query.where(
            Person.id.in_(select(GroupMember.person_id).where(GroupMember.group_id == flt.group_id))
        )
    return list(db.session.scalars(query))


def groups_with_counts(site: Site) -> list[tuple[Group, int]]:
    """Each group and how many different people are in it: one query."""
    count = func.count(func.distinct(GroupMember.person_id))
    rows = db.session.execute(
        select(Group, count)
        .outerjoin(GroupMember, GroupMember.group_id == Group.id)
        .where(Group.site_id == site.id)
        .group_by(Group.id)
        .order_by(Group.id)
    ).all()
    order = list(GROUP_KINDS)
    return sorted(
        ((group, n) for group, n in rows), key=lambda row: (order.index(row[0].kind), row[0].id)
    )


def member_in_group(group: Group, member_id: int) -> GroupMember | None:
    return db.session.scalar(
        select(GroupMember)
        .where(GroupMember.id == member_id, GroupMember.group_id == group.id)
        .options(selectinload(GroupMember.person))
    )


def people_to_add(group: Group) -> list[tuple[int, str]]:
    """`people_choices` without the people already in the group: one query."""
    members = select(GroupMember.person_id).where(GroupMember.group_id == group.id)
    rows = db.session.execute(
        select(Person.id, Person.name, Person.job_title)
        .where(Person.site_id == group.site_id, Person.erased.is_(False), Person.id.not_in(members))
        .order_by(func.lower(Person.name), Person.id)
    ).all()
    return [(pid, f"{name} ({title})" if title else name) for pid, name, title in rows]


def people_in_site(site_id: int, person_ids: list[int]) -> list[Person]:
    """These people of the site, by name (ids from elsewhere are left out): one query."""
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.site_id == site_id, Person.id.in_(person_ids))
            .order_by(func.lower(Person.name), Person.id)
        )
    )


def group_members(group: Group) -> list[GroupMember]:
    return list(
        db.session.scalars(
            select(GroupMember)
            .join(Person, Person.id == GroupMember.person_id)
            .where(GroupMember.group_id == group.id)
            .options(selectinload(GroupMember.person))
            .order_by(GroupMember.team_role, func.lower(Person.name))
        )
    )
