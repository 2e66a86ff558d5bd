"""Site members are people: one People entry per account per site, and the roles that follow.

A member's name and email live on their account; their People entry is the same human in
the site's stakeholder list, team, owner lists and attendance. Adding a member links to
the entry with the same email (any case) or creates one. The site's manager and sponsor
fill the project team's "Project manager" and "Project sponsor" roles unless someone else
already holds them; then the members page offers to swap.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.service import set_active
from app.core.audit import record_event
from app.core.errors import ServiceError
from app.extensions import db
from app.people.gdpr import erase_person
from app.people.groups import add_to_group, ensure_standard_groups
from app.people.models import Group, GroupMember, Person
from app.people.queries import group_of_kind
from app.people.scrub import ErasureReport
from app.people.vocabulary import role_names
from app.sites.models import Membership, Site

log = logging.getLogger(__name__)

MANAGER_ROLE = "project-manager"
SPONSOR_ROLE = "project-sponsor"


def team_roles_for(membership: Membership) -> list[str]:
    """The project-team roles this membership brings with it."""
    roles = []
    if membership.role == "manager":
        roles.append(MANAGER_ROLE)
    if membership.is_sponsor:
        roles.append(SPONSOR_ROLE)
    return roles


def person_for_account(site: Site, user: User) -> Person:
    """The site's People entry for this account: linked, matched by email, or new."""
    person = db.session.scalar(
        select(Person).where(Person.site_id == site.id, Person.user_id == user.id)
    )
    if person is not None:
        return person
    person = db.session.scalars(
        select(Person)
        .where(
            Person.site_id == site.id,
            Person.erased.is_(False),
            Person.user_id.is_(None),
            func.lower(func.trim(Person.email)) == user.email.lower(),
        )
        .order_by(Person.id)
        .limit(1)
    ).first()
    if person is not None:
        person.user_id = user.id
    else:
        person = Person(
            site_id=site.id, name=user.name, email=user.email, engagement="engaged", user_id=user.id
        )
        db.session.add(person)
    db.session.flush()
    log.info("User #%s linked to person #%s on site #%s", user.id, person.id, site.id)
    return person


@dataclass
class RoleClash:
    """A member who should hold a team role that someone else already holds."""

    role: str
    role_name: str
    member_person_id: int
    member_name: str
    holder_names: list[str]
    membership_id: int


def fill_member_roles(site: Site, membership: Membership, person: Person) -> list[RoleClash]:
    """Give the member's person the team roles their membership brings, where they are free."""
    ensure_standard_groups(site)
    team = group_of_kind(site.id, "project_team")
    clashes = []
    for role in team_roles_for(membership):
        holders = db.session.scalars(
            select(GroupMember)
            .where(GroupMember.group_id == team.id, GroupMember.team_role == role)
            .join(GroupMember.person)
        ).all()
        if any(h.person_id == person.id for h in holders):
            continue
        if holders:
            clashes.append(
                RoleClash(
                    role,
                    role_names()[role],
                    person.id,
                    person.name,
                    [h.person.name for h in holders],
                    membership.id,
                )
            )
            continue
        add_to_group(team, person, role)
    return clashes


def link_member(membership: Membership) -> tuple[Person, list[RoleClash]]:
    """After adding or changing a member: their People entry, and any team role clashes."""
    person = person_for_account(membership.site, membership.user)
    return person, fill_member_roles(membership.site, membership, person)


def role_clashes(site: Site) -> list[RoleClash]:
    """Every member whose access brings a team role someone else holds: three queries."""
    team = group_of_kind(site.id, "project_team")
    if team is None:
        return []
    rows = db.session.execute(
        select(Membership, Person.id, Person.name)
        .join(Person, (Person.user_id == Membership.user_id) & (Person.site_id == site.id))
        .where(Membership.site_id == site.id)
        .order_by(Person.name)
    ).all()
    holders: dict[str, list[tuple[int, str]]] = {}
    for role, person_id, name in db.session.execute(
        select(GroupMember.team_role, Person.id, Person.name)
        .join(Person, Person.id == GroupMember.person_id)
        .where(
            GroupMember.group_id == team.id,
            GroupMember.team_role.in_([MANAGER_ROLE, SPONSOR_ROLE]),
        )
        .order_by(Person.name)
    ):
        holders.setdefault(role, []).append((person_id, name))
    names = role_names()
    clashes = []
    for membership, person_id, name in rows:
        for role in team_roles_for(membership):
            held = holders.get(role, [])
            if held and all(pid != person_id for pid, _ in held):
                clashes.append(
                    RoleClash(
                        role, names[role], person_id, name, [n for _, n in held], membership.id
                    )
                )
    return clashes


def take_team_role(site: Site, person: Person, role: str) -> None:
    """The swap: `person` holds this project-team role instead of whoever held it."""
    ensure_standard_groups(site)
    team = group_of_kind(site.id, "project_team")
    for member in db.session.scalars(
        select(GroupMember).where(GroupMember.group_id == team.id, GroupMember.team_role == role)
    ):
        db.session.delete(member)
    db.session.flush()
    add_to_group(team, person, role)


def members_people(site: Site) -> dict[int, Person]:
    """user id -> the member's People entry on this site: one query."""
    people = db.session.scalars(
        select(Person).where(Person.site_id == site.id, Person.user_id.is_not(None))
    )
    return {p.user_id: p for p in people}


def team_roles_by_person(site: Site) -> dict[int, list[str]]:
    """person id -> names of the project-team roles they hold: one query."""
    names = role_names()
    rows = db.session.execute(
        select(GroupMember.person_id, GroupMember.team_role)
        .join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.site_id == site.id, Group.kind == "project_team")
        .order_by(GroupMember.id)
    )
    held: dict[int, list[str]] = {}
    for person_id, role in rows:
        if role in names:
            held.setdefault(person_id, []).append(names[role])
    return held


def erase_person_and_account(person: Person, by_user) -> tuple[User | None, ErasureReport]:  # noqa: ANN001
    """Erase a person; if they are also a user, their account is deactivated too.

    Returns the deactivated account and what was removed, so the page can say so.
    Not committed.
    """
    user = db.session.get(User, person.user_id) if person.user_id else None
    if user is not None and user.id == getattr(by_user, "id", None):
        raise ServiceError(
            "You cannot erase your own entry: it would lock you out. Ask another manager."
        )
    site_id = person.site_id
    report = erase_person(person, by_user)
    if user is not None and user.active:
        set_active(user, False)
        record_event(
            "deactivate",
            user_id=getattr(by_user, "id", None),
            site_id=site_id,
            object_type="user",
            object_id=user.id,
            detail=f"User #{user.id} deactivated: their People entry was erased",
        )
        log.info("User #%s deactivated after erasure on site #%s", user.id, site_id)
    return user, report


def member_of_site(person: Person) -> Membership | None:
    """The membership behind this People entry, if they have access to the site."""
    if person.user_id is None:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.site_id == person.site_id, Membership.user_id == person.user_id
        )
    )


def access_words(membership: Membership) -> str:
    """'Manager', or 'Project sponsor (viewer access)': the sponsor is named as such."""
    access = membership.role.capitalize()
    return f"Project sponsor ({membership.role} access)" if membership.is_sponsor else access
