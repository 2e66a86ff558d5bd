"""Creating sites and changing who may work on them (reads are in `app.sites.queries`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.queries import find_user
from app.core.access import SITE_ROLES
from app.core.errors import ServiceError
from app.core.registry import registry
from app.extensions import db
from app.sites.models import NATIONS, SERVICE_STATUSES, Membership, Site

# What linking a member to the site's people can report: a team role someone else holds.
# The type lives in app.people (a layer above), so it is named only in words here.
RoleClash = object


@dataclass
class SiteDetails:
    name: str
    organisation: str
    nation: str = "England"
    region: str = ""
    commissioner: str = ""
    population_50_plus: int | None = None
    service_status: str = "new"
    start_date: date | None = None
    description: str = ""


def _check_details(details: SiteDetails) -> None:
    if not details.name.strip():
        raise ServiceError("Enter the site's name.", field="name")
    if not details.organisation.strip():
        raise ServiceError("Enter the trust or health board.", field="organisation")
    if details.nation not in NATIONS:
        raise ServiceError("Choose England, Scotland, Wales or Northern Ireland.", field="nation")
    if details.service_status not in SERVICE_STATUSES:
        raise ServiceError("Choose new, developing or improving.", field="service_status")
    if details.population_50_plus is not None and details.population_50_plus <= 0:
        raise ServiceError(
            "Population aged 50 and over must be more than 0, or left blank if not known yet.",
            field="population_50_plus",
        )


def create_site(details: SiteDetails) -> Site:
    _check_details(details)
    site = Site(**{k: (v.strip() if isinstance(v, str) else v) for k, v in vars(details).items()})
    db.session.add(site)
    db.session.flush()
    return site


def plan_kind(service_status: str) -> str:
    """The plan an improving service needs differs; new and developing ones set a service up."""
    return "improving" if service_status == "improving" else "new"


def create_site_with_plan(details: SiteDetails) -> Site:
    """A site, its standard groups and its plan, from what the site form asked once.

    The features above sites do their part through `registry().site_setup`: people makes
    the standard groups, plan makes the plan from the start date and `plan_kind`."""
    if details.start_date is None:
        raise ServiceError("Enter the date the project starts.", field="start_date")
    site = create_site(details)
    for set_up in registry().site_setup:
        set_up(site)
    return site


def update_site(site: Site, details: SiteDetails) -> Site:
    _check_details(details)
    for key, value in vars(details).items():
        setattr(site, key, value.strip() if isinstance(value, str) else value)
    return site


def check_sponsor_grant(granted_by: User | None, member_user_id: int) -> None:
    """Sponsorship comes from an administrator or another manager: never from oneself.

    A manager who could make themselves sponsor could request and sign their own gateway.
    """
    if granted_by is None or granted_by.is_admin:
        return
    if granted_by.id == member_user_id:
        raise ServiceError(
            "You cannot make yourself the sponsor. Ask another manager or an administrator.",
            field="is_sponsor",
        )


def add_member(
    site: Site, email: str, role: str, is_sponsor: bool = False, granted_by: User | None = None
) -> Membership:
    """Give an existing account access; the member is linked to their People entry."""
    if role not in SITE_ROLES:
        raise ServiceError("Choose viewer, editor or manager.", field="role")
    user = find_user(email)
    if user is None:
        raise ServiceError(
            "No user has that email address: create the user first, or invite them from the "
            "site's members page.",
            field="email",
        )
    return add_account(site, user, role, is_sponsor, granted_by)[0]


def _link(membership: Membership) -> list[RoleClash]:
    """Let the features above link the member to their records (people: the People entry
    and the team roles a manager or sponsor fills); returns any role clashes."""
    clashes: list[RoleClash] = []
    for link in registry().member_linkers:
        clashes.extend(link(membership))
    return clashes


def add_account(
    site: Site, user: User, role: str, is_sponsor: bool, granted_by: User | None
) -> tuple[Membership, list[RoleClash]]:
    """Make the account a member. Callers have the person's consent (they accepted an offer)
    or are an operator (the command line, an administrator's tools)."""
    existing = db.session.scalar(
        select(Membership).where(Membership.site_id == site.id, Membership.user_id == user.id)
    )
    if existing is not None:
        raise ServiceError(f"{user.name} is already a member of this site.", field="email")
    if is_sponsor:
        check_sponsor_grant(granted_by, user.id)
    membership = Membership(
        site_id=site.id,
        user_id=user.id,
        role=role,
        is_sponsor=is_sponsor,
        sponsor_granted_by_id=granted_by.id if is_sponsor and granted_by else None,
    )
    db.session.add(membership)
    db.session.flush()
    return membership, _link(membership)


def update_member(
    membership: Membership, role: str, is_sponsor: bool, granted_by: User | None = None
) -> list[RoleClash]:
    """Change access; a new manager or sponsor fills the matching project-team role if free."""
    if role not in SITE_ROLES:
        raise ServiceError("Choose viewer, editor or manager.", field="role")
    if is_sponsor and not membership.is_sponsor:
        check_sponsor_grant(granted_by, membership.user_id)
        membership.sponsor_granted_by_id = granted_by.id if granted_by else None
    membership.role = role
    membership.is_sponsor = is_sponsor
    db.session.flush()
    return _link(membership)
