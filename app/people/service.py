"""People and groups: the rules, and the look-ups other features call.

Plain values in, model objects out; no request. Personal data (names, emails, phones)
never goes into a log message here: ids only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.core.dates import today
from app.core.errors import ServiceError
from app.extensions import db
from app.people.gdpr import (  # noqa: F401 - other features import these from here
    PersonItem,
    erase_person,
    person_sections,
)
from app.people.models import (
    ENGAGEMENT_STATUSES,
    GROUP_KINDS,
    LEVELS,
    OTHER_CATEGORY,
    PREFERRED_CONTACT,
    Group,
    GroupMember,
    Person,
)
from app.sites.models import Membership, Site
from app.toolkit import get_toolkit

log = logging.getLogger(__name__)

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

_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-]+$")


def category_names() -> dict[str, str]:
    """Category key -> name, in the toolkit's order, then "other"."""
    names = {c.key: c.name for c in get_toolkit().categories}
    names[OTHER_CATEGORY] = "Other"
    return names


def role_names() -> dict[str, str]:
    return {r.key: r.name for r in get_toolkit().roles}


def category_label(person: Person) -> str:
    if not person.category:
        return "Not categorised"
    if person.category == OTHER_CATEGORY:
        return f"Other: {person.category_other}" if person.category_other else "Other"
    return category_names().get(person.category, person.category)


def email_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return "Enter an email address in the right format, like name@nhs.net."
    return None


def phone_problem(value: str) -> str | None:
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if not _PHONE_CHARS.match(value) or not 10 <= len(digits) <= 15:
        return "Enter a phone number like 01632 960 001 or +44 7700 900 123."
    return None


@dataclass
class PersonData:
    """What a person's form or an import row holds, already trimmed."""

    name: str
    job_title: str = ""
    organisation: str = ""
    category: str | None = None
    category_other: str = ""
    email: str = ""
    phone: str = ""
    preferred_contact: str = "email"
    notes: str = ""
    influence: str = "low"
    interest: str = "low"
    engagement: str = "identified"
    added_on: date | None = None
    user_id: int | None = None

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def person_problems(data: PersonData) -> list[tuple[str, str]]:
    """Every rule a person breaks, as (field, message): shared by the form and the import."""
    problems: list[tuple[str, str]] = []
    if not data.name:
        problems.append(("name", "Enter the person's name."))
    elif len(data.name) > 120:
        problems.append(("name", "The name must be 120 characters or fewer."))
    if data.category and data.category not in category_names():
        problems.append(
            ("category", f"'{data.category}' is not one of the stakeholder categories.")
        )
    if data.category == OTHER_CATEGORY and not data.category_other:
        problems.append(("category_other", "Describe the category when you choose 'Other'."))
    if message := email_problem(data.email):
        problems.append(("email", message))
    if message := phone_problem(data.phone):
        problems.append(("phone", message))
    choices = {
        "preferred_contact": (PREFERRED_CONTACT, "Choose email, phone or either."),
        "influence": (LEVELS, "Choose high or low influence."),
        "interest": (LEVELS, "Choose high or low interest."),
        "engagement": (ENGAGEMENT_STATUSES, "Choose an engagement status."),
    }
    for name, (allowed, message) in choices.items():
        if getattr(data, name) not in allowed:
            problems.append((name, message))
    if data.added_on and data.added_on > today():
        problems.append(("added_on", "The date added cannot be in the future."))
    return problems


def find_duplicate(site_id: int, data: PersonData, exclude_id: int | None = None) -> Person | None:
    """The same email (any case), or with no email the same name and organisation."""
    query = select(Person).where(Person.site_id == site_id, Person.erased.is_(False))
    if data.email:
        query = query.where(func.lower(Person.email) == data.email.lower())
    else:
        query = query.where(
            func.lower(Person.name) == data.name.lower(),
            func.lower(Person.organisation) == data.organisation.lower(),
        )
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def _check(site_id: int, data: PersonData, exclude_id: int | None = None) -> None:
    problems = person_problems(data)
    if problems:
        field, message = problems[0]
        raise ServiceError(message, field)
    if data.user_id is not None and not db.session.scalar(
        select(Membership.id).where(
            Membership.site_id == site_id, Membership.user_id == data.user_id
        )
    ):
        raise ServiceError("Choose someone who has access to this site.", "user_id")
    if data.user_id is not None:
        linked = select(Person.id).where(Person.site_id == site_id, Person.user_id == data.user_id)
        if exclude_id is not None:
            linked = linked.where(Person.id != exclude_id)
        if db.session.scalar(linked) is not None:
            raise ServiceError(
                "This account already belongs to someone else in People: one person per account.",
                "user_id",
            )
    if find_duplicate(site_id, data, exclude_id) is not None:
        if data.email:
            raise ServiceError("Someone with this email address is already listed.", "email")
        raise ServiceError(
            "Someone with this name and organisation is already listed. "
            "Add an email address if this is a different person.",
            "name",
        )


def _apply(person: Person, data: PersonData) -> None:
    for name in PersonData.field_names():
        value = getattr(data, name)
        if name == "added_on" and value is None:
            continue
        setattr(person, name, value)
    if person.category != OTHER_CATEGORY:
        person.category_other = ""


def create_person(site: Site, data: PersonData) -> Person:
    _check(site.id, data)
    person = Person(site_id=site.id)
    _apply(person, data)
    db.session.add(person)
    db.session.flush()
    log.debug("Person #%s added to site #%s", person.id, site.id)
    return person


def update_person(person: Person, data: PersonData) -> Person:
    if person.erased:
        raise ServiceError("This person's details were erased and cannot be changed.")
    _check(person.site_id, data, exclude_id=person.id)
    _apply(person, data)
    db.session.flush()
    return person


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


def group_in_site(site_id: int, group_id: int) -> Group | None:
    return db.session.scalar(select(Group).where(Group.id == group_id, Group.site_id == site_id))


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


# --- Listing ---------------------------------------------------------------------------


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


# --- Groups -----------------------------------------------------------------------------


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
    member = GroupMember(
        site_id=group.site_id, group_id=group.id, person_id=person.id, team_role=team_role
    )
    db.session.add(member)
    db.session.flush()
    return member


def member_in_group(group: Group, member_id: int) -> GroupMember | None:
    return db.session.scalar(
        select(GroupMember)
        .where(GroupMember.id == member_id, GroupMember.group_id == group.id)
        .options(selectinload(GroupMember.person))
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


def delete_group(group: Group) -> None:
    if group.kind != "custom":
        raise ServiceError("The project team, reference group and steering group are kept.")
    db.session.delete(group)
    db.session.flush()
