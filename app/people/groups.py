"""Groups: the standard three every site has, custom groups, and who is in them.

Plain values in, model objects out; no request.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.errors import ServiceError
from app.extensions import db
from app.people.models import Group, GroupMember, Person
from app.people.vocabulary import role_names
from app.sites.models import Site
from app.toolkit import get_toolkit

STANDARD_GROUPS = {
    "project_team": (
        "Project team",
        "The people who run the project day to day, one or more for each of the seven roles.",
    ),
    "reference_group": (
        "Stakeholder reference group",
        "Everyone with a stake in the service, from as many of the 13 categories as possible.",
    ),
    "steering_group": (
        "Steering group",
        "Senior people who oversee the project, take decisions and report to the board.",
    ),
}


def ensure_standard_groups(site: Site) -> list[Group]:
    """Create the project team, reference group and steering group if the site lacks them."""
    existing = set(db.session.scalars(select(Group.kind).where(Group.site_id == site.id)))
    created = []
    for kind, (name, description) in STANDARD_GROUPS.items():
        if kind not in existing:
            group = Group(site_id=site.id, kind=kind, name=name, description=description)
            db.session.add(group)
            created.append(group)
    if created:
        db.session.flush()
    return created


def create_group(site: Site, name: str, description: str = "", quorum: int | None = None) -> Group:
    if db.session.scalar(
        select(Group.id).where(Group.site_id == site.id, func.lower(Group.name) == name.lower())
    ):
        raise ServiceError("There is already a group with this name.", "name")
    group = Group(site_id=site.id, kind="custom", name=name, description=description, quorum=quorum)
    db.session.add(group)
    db.session.flush()
    return group


def update_group(group: Group, name: str, description: str, quorum: int | None) -> Group:
    clash = db.session.scalar(
        select(Group.id).where(
            Group.site_id == group.site_id,
            func.lower(Group.name) == name.lower(),
            Group.id != group.id,
        )
    )
    if clash:
        raise ServiceError("There is already a group with this name.", "name")
    group.name, group.description, group.quorum = name, description, quorum
    db.session.flush()
    return group


def add_to_group(group: Group, person: Person, team_role: str = "") -> GroupMember:
    if person.site_id != group.site_id:
        raise ServiceError("Choose someone from this site.", "person_id")
    if person.erased:
        raise ServiceError("An erased person cannot join a group.", "person_id")
    if group.kind == "project_team":
        if team_role not in role_names():
            raise ServiceError("Choose this person's role on the project team.", "team_role")
    else:
        team_role = ""
    clash = db.session.scalar(
        select(GroupMember.id).where(
            GroupMember.group_id == group.id,
            GroupMember.person_id == person.id,
            GroupMember.team_role == team_role,
        )
    )
    if clash:
        what = "in this role" if team_role else "in this group"
        raise ServiceError(f"This person is already {what}.", "person_id")
    if team_role:
        key_player(person, team_role)
    member = GroupMember(
        site_id=group.site_id, group_id=group.id, person_id=person.id, team_role=team_role
    )
    db.session.add(member)
    db.session.flush()
    return member


def add_many_to_group(group: Group, people: list[Person], team_role: str = "") -> list[GroupMember]:
    """Add everyone chosen at once (one role for them all on the project team); nobody is
    added unless everyone can be."""
    if not people:
        raise ServiceError("Choose at least one person to add.", "person_ids")
    try:
        return [add_to_group(group, person, team_role) for person in people]
    except ServiceError as error:
        if error.field == "person_id":
            error.field = "person_ids"
        raise


def key_player(person: Person, team_role: str) -> None:
    """Whoever holds a project-team role (the sponsor too) is a key player: high influence
    and high interest; listed under the role's stakeholder category unless already listed."""
    person.influence = person.interest = "high"
    if not person.category:
        person.category = get_toolkit().role(team_role).category


def delete_group(group: Group) -> None:
    if group.kind != "custom":
        raise ServiceError("The project team, reference group and steering group are kept.")
    db.session.delete(group)
    db.session.flush()
