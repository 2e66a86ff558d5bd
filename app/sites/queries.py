"""Reading sites, who works on them and where each project stands."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.core.registry import registry
from app.extensions import db
from app.sites.models import Membership, Site


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


def sites_for(user: User) -> list[tuple[Site, str | None]]:
    """The sites a person works on with their role; support and admin staff see every site."""
    if user.is_support:
        rows = db.session.execute(
            select(Site, Membership.role)
            .outerjoin(
                Membership, (Membership.site_id == Site.id) & (Membership.user_id == user.id)
            )
            .order_by(Site.name)
        ).all()
        return [(site, role) for site, role in rows]
    rows = db.session.execute(
        select(Site, Membership.role)
        .join(Membership, Membership.site_id == Site.id)
        .where(Membership.user_id == user.id)
        .order_by(Site.name)
    ).all()
    return [(site, role) for site, role in rows]


def current_phase_numbers(site_ids: list[int]) -> dict[int, int]:
    """Each site's current phase: the first phase whose gateway is not signed off.

    One query whatever the number of sites; the gateways feature registers the rule
    (`registry.current_phases`). Without it every site is in phase 1.
    """
    source = registry().current_phases
    return source(site_ids) if source else dict.fromkeys(site_ids, 1)
