"""Reading sites, who works on them and where each project stands."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import Integer, cast, null, select, union_all
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.core.dates import utcnow
from app.core.registry import registry
from app.extensions import db
from app.sites.models import SERVICE_STATUSES, Membership, MembershipOffer, Site


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


class SiteListing(NamedTuple):
    """A site as the home page lists it, with the person's role there (None: no role)."""

    id: int
    name: str
    organisation: str
    service_status: str
    role: str | None
    is_sponsor: bool | None = None

    @property
    def role_name(self) -> str | None:
        """'Sponsor' for a sponsor whose access is read-only, 'Manager and sponsor', ..."""
        if not self.role:
            return None
        if self.is_sponsor:
            return "Sponsor" if self.role == "viewer" else f"{self.role.capitalize()} and sponsor"
        return self.role.capitalize()

    @property
    def status_name(self) -> str:
        return SERVICE_STATUSES.get(self.service_status, self.service_status)


class OfferListing(NamedTuple):
    """Access offered to the person, waiting for their answer (their home page)."""

    id: int
    site_id: int
    site_name: str
    role: str
    is_sponsor: bool


def open_since() -> datetime:
    """Offers made (or sent again) after this are still open: OFFER_DAYS, default 30."""
    return utcnow() - timedelta(days=current_app.config["OFFER_DAYS"])


def sites_for(user: User) -> tuple[list[SiteListing], list[OfferListing]]:
    """The sites a person works on with their role (support and admin staff see every
    site), and the access they have been offered and can still accept: one statement for
    both.

    Plain values: a support user's list holds every site (200 at the charity's scale)."""
    columns = select(
        Site.id,
        Site.name,
        Site.organisation,
        Site.service_status,
        Membership.role,
        Membership.is_sponsor,
        cast(null(), Integer).label("offer_id"),
    )
    on_site = (Membership.site_id == Site.id) & (Membership.user_id == user.id)
    listed = (
        columns.outerjoin(Membership, on_site)
        if user.is_support
        else columns.join(Membership, on_site)
    )
    offered = (
        select(
            Site.id,
            Site.name,
            Site.organisation,
            Site.service_status,
            MembershipOffer.role,
            MembershipOffer.is_sponsor,
            MembershipOffer.id,
        )
        .join(MembershipOffer, MembershipOffer.site_id == Site.id)
        .where(MembershipOffer.user_id == user.id, MembershipOffer.created_at > open_since())
    )
    both = union_all(listed, offered).subquery()
    sites: list[SiteListing] = []
    offers: list[OfferListing] = []
    for row in db.session.execute(select(both).order_by(both.c.name, both.c.offer_id)):
        if row.offer_id is None:
            sites.append(
                SiteListing(
                    row.id, row.name, row.organisation, row.service_status, row.role,
                    bool(row.is_sponsor),
                )
            )  # fmt: skip
        else:
            offers.append(
                OfferListing(row.offer_id, row.id, row.name, row.role, bool(row.is_sponsor))
            )
    return sites, offers


def current_phase_numbers(site_ids: list[int]) -> dict[int, int]:
    """Each site's current phase: the first phase whose gateway is not signed off.

    One query whatever the number of sites; the gateways feature registers the rule
    (`registry.current_phases`). Without it every site is in phase 1.
    """
    source = registry().current_phases
    return source(site_ids) if source else dict.fromkeys(site_ids, 1)
