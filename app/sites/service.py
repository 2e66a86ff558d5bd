"""Sites and who may work on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.accounts.service import find_user
from app.core.access import SITE_ROLES
from app.core.errors import ServiceError
from app.extensions import db
from app.sites.models import NATIONS, SERVICE_STATUSES, Membership, Site

if TYPE_CHECKING:
    from app.people.linking import RoleClash


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
    """A site, its standard groups and its plan, from what the site form asked once."""
    from app.people.service import ensure_standard_groups
    from app.plan.service import create_plan

    if details.start_date is None:
        raise ServiceError("Enter the date the project starts.", field="start_date")
    site = create_site(details)
    ensure_standard_groups(site)
    create_plan(site, plan_kind(site.service_status), site.start_date)
    return site


def update_site(site: Site, details: SiteDetails) -> Site:
    _check_details(details)
    for key, value in vars(details).items():
        setattr(site, key, value.strip() if isinstance(value, str) else value)
    return site


def add_member(site: Site, email: str, role: str, is_sponsor: bool = False) -> Membership:
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
    return _add(site, user, role, is_sponsor)[0]


def _add(site: Site, user: User, role: str, is_sponsor: bool) -> tuple[Membership, list[RoleClash]]:
    from app.people.linking import link_member

    existing = db.session.scalar(
        select(Membership).where(Membership.site_id == site.id, Membership.user_id == user.id)
    )
    if existing is not None:
        raise ServiceError(f"{user.name} is already a member of this site.", field="email")
    membership = Membership(site_id=site.id, user_id=user.id, role=role, is_sponsor=is_sponsor)
    db.session.add(membership)
    db.session.flush()
    _person, clashes = link_member(membership)
    return membership, clashes


@dataclass
class Invited:
    """What adding a member did: the membership, and a link to show when the account is new."""

    membership: Membership
    invitation_url: str | None
    clashes: list[RoleClash]


def invite_member(
    site: Site,
    email: str,
    name: str,
    role: str,
    is_sponsor: bool = False,
    invited_by: User | None = None,
) -> Invited:
    """Add someone by email: an existing account gets access; a new one gets an invitation."""
    from app.accounts.invitations import create_invitation, invite_user

    if role not in SITE_ROLES:
        raise ServiceError("Choose viewer, editor or manager.", field="role")
    user, created = invite_user(email, name)
    membership, clashes = _add(site, user, role, is_sponsor)
    url = None
    if created:
        _invitation, url = create_invitation(user, invited_by=invited_by, site_id=site.id)
    return Invited(membership, url, clashes)


def update_member(membership: Membership, role: str, is_sponsor: bool) -> list[RoleClash]:
    """Change access; a new manager or sponsor fills the matching project-team role if free."""
    from app.people.linking import link_member

    if role not in SITE_ROLES:
        raise ServiceError("Choose viewer, editor or manager.", field="role")
    membership.role = role
    membership.is_sponsor = is_sponsor
    db.session.flush()
    return link_member(membership)[1]


def remove_member(membership: Membership, new_owner=None) -> int:  # noqa: ANN001 - a Person
    """End a member's access; what their People entry owns can go to `new_owner` first.

    The People entry stays (they are still a stakeholder), no longer linked to the account.
    Returns how many records were reassigned.
    """
    from app.people.linking import person_for_account
    from app.people.ownership import reassign_owned

    person = person_for_account(membership.site, membership.user)
    moved = reassign_owned(person, new_owner) if new_owner is not None else 0
    person.user_id = None
    db.session.delete(membership)
    db.session.flush()
    return moved


def members_of(site: Site) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.site_id == site.id)
            .join(Membership.user)
            .order_by(User.name)
            .options(contains_eager(Membership.user))
        )
    )


def membership_or_404(site: Site, membership_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(Membership.site_id == site.id, Membership.id == membership_id)
    )
    if membership is None:
        abort(404)
    return membership


def sites_for(user: User) -> list[tuple[Site, str | None]]:
    """The sites a person works on with their role; support and admin staff see every site."""
    if user.is_support:
        roles = dict(
            db.session.execute(
                select(Membership.site_id, Membership.role).where(Membership.user_id == user.id)
            ).all()
        )
        sites = db.session.scalars(select(Site).order_by(Site.name)).all()
        return [(site, roles.get(site.id)) for site in sites]
    rows = db.session.execute(
        select(Site, Membership.role)
        .join(Membership, Membership.site_id == Site.id)
        .where(Membership.user_id == user.id)
        .order_by(Site.name)
    ).all()
    return [(site, role) for site, role in rows]


def current_phase_numbers(site_ids: list[int]) -> dict[int, int]:
    """Each site's current phase: the first phase whose gateway is not signed off.

    One query whatever the number of sites; the rule lives in the gateways service.
    """
    from app.gateways.service import current_phases

    return current_phases(site_ids)
