"""People: the rules for a person's details (groups are in groups.py, reads in queries.py).

Plain values in, model objects out; no request. Personal data (names, emails, phones)
never goes into a log message here: ids only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.dates import today
from app.core.errors import ServiceError
from app.extensions import db
from app.people.models import (
    ENGAGEMENT_STATUSES,
    LEVELS,
    OTHER_CATEGORY,
    PREFERRED_CONTACT,
    Person,
)
from app.people.vocabulary import category_names
from app.sites.models import Membership, Site

log = logging.getLogger(__name__)


_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-]+$")


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
        # One place for a member's email: meeting mail goes to this one, account mail to
        # the account's, so they must be the same address.
        account = db.session.get(User, data.user_id)
        if account is not None and (data.email or "").strip().lower() != account.email.lower():
            raise ServiceError(
                f"{data.name or account.name} signs in with {account.email}: a member's email "
                "address in People is the one they sign in with. Enter that address.",
                "email",
            )
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
