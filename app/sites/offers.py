"""Access is offered, then accepted: nobody joins a site without saying yes.

A manager's "Give access" makes a `MembershipOffer` whatever the email, and says the same
thing either way, so it never tells them whether the email has an account, nor that
account's name. An email without an account also gets an account with no usable password
and an invitation link, emailed to that address only (never shown to the manager), bound
to this site: only this site may send it again, and only while nobody has chosen the
password. The link sets the password; the offer itself is accepted (or declined) on the
person's home page, signed in as themselves. So one site's manager can never re-key an
account that another site invited, or any account that is in use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, select

from app.accounts.invitations import (
    awaiting_acceptance,
    create_invitation,
    invite_user,
    revoke_site_invitations,
)
from app.accounts.models import User
from app.core.access import SITE_ROLES
from app.core.audit import record_event
from app.core.dates import utcnow
from app.core.db import first_write
from app.core.errors import ServiceError, StaleEdit
from app.extensions import db
from app.sites.models import Membership, MembershipOffer, Site
from app.sites.queries import open_since
from app.sites.service import RoleClash, add_account, check_sponsor_grant
from app.sites.signals import access_offered


@dataclass
class Accepted:
    membership: Membership
    clashes: list[RoleClash]


@dataclass
class OfferRow:
    """An offer as its site's managers see it: open until when, or expired."""

    offer: MembershipOffer
    open_until: datetime
    expired: bool


def is_open(offer: MembershipOffer) -> bool:
    return offer.created_at > open_since()


def offer_access(
    site: Site,
    email: str,
    name: str,
    role: str,
    is_sponsor: bool = False,
    offered_by: User | None = None,
) -> MembershipOffer:
    """Offer access to whoever holds `email`; an email without an account is invited.

    The outcome reads the same to the manager whether or not the email has an account.
    """
    if role not in SITE_ROLES:
        raise ServiceError("Choose viewer, editor or manager.", field="role")
    name = (name or "").strip()
    if not name:
        raise ServiceError("Enter the person's full name.", field="name")
    with first_write(StaleEdit(what="access for this email")):  # two managers at once
        offer, created = _new_offer(site, email, name, role, is_sponsor, offered_by)
    if created:
        create_invitation(db.session.get(User, offer.user_id), offered_by, site_id=site.id)
    # Mail (app/notifications): the new account's link, or else a notice of the offer.
    access_offered.send(offer)
    record_event(
        "access_offered",
        user_id=offered_by.id if offered_by else None,
        site_id=site.id,
        object_type="user",
        object_id=offer.user_id,
        detail=f"Offer #{offer.id} of {role} access",
    )
    return offer


def _new_offer(
    site: Site, email: str, name: str, role: str, is_sponsor: bool, offered_by: User | None
) -> tuple[MembershipOffer, bool]:
    user, created = invite_user(email, name)
    if offered_by is not None and user.id == offered_by.id:
        raise ServiceError("You already have access to this site.", field="email")
    already_member = db.session.scalar(
        select(Membership.id).where(Membership.site_id == site.id, Membership.user_id == user.id)
    )
    if already_member is not None:
        raise ServiceError("Someone with this email already has access to this site.", "email")
    earlier = db.session.scalar(
        select(MembershipOffer).where(
            MembershipOffer.site_id == site.id, MembershipOffer.user_id == user.id
        )
    )
    if earlier is not None:
        again = "" if is_open(earlier) else " It has expired: choose 'Send again' there."
        raise ServiceError(
            "This email has already been offered access: it is listed under "
            f"'Waiting for them to accept'.{again}",
            field="email",
        )
    if is_sponsor:
        check_sponsor_grant(offered_by, user.id)
    offer = MembershipOffer(
        site_id=site.id,
        user_id=user.id,
        email=user.email,
        name_given=name,
        role=role,
        is_sponsor=is_sponsor,
        offered_by_id=offered_by.id if offered_by else None,
    )
    db.session.add(offer)
    return offer, created


def offer_rows(site_id: int) -> list[OfferRow]:
    """The site's offers waiting for an answer, expired ones marked (the members page)."""
    since, days = open_since(), timedelta(days=current_app.config["OFFER_DAYS"])
    return [
        OfferRow(offer, offer.created_at + days, offer.created_at <= since)
        for offer in offers_for_site(site_id)
    ]


def offers_for_site(site_id: int) -> list[MembershipOffer]:
    return list(
        db.session.scalars(
            select(MembershipOffer)
            .where(MembershipOffer.site_id == site_id)
            .order_by(MembershipOffer.name_given, MembershipOffer.id)
        )
    )


def _offer_to(offer_id: int, user: User) -> MembershipOffer:
    """The offer, only if it was made to this person (anyone else's is as if absent)."""
    offer = db.session.get(MembershipOffer, offer_id)
    if offer is None or offer.user_id != user.id:
        raise ServiceError("This offer is no longer open: the site may have withdrawn it.")
    return offer


def accept_offer(offer_id: int, user: User) -> Accepted:
    """The person, signed in as themselves, takes up the access they were offered."""
    offer = _offer_to(offer_id, user)
    if not is_open(offer):
        raise ServiceError(
            "This offer has expired. Ask the site's manager to send it again if you still "
            "need access."
        )
    offered_by = db.session.get(User, offer.offered_by_id) if offer.offered_by_id else None
    site = db.session.get(Site, offer.site_id)
    existing = db.session.scalar(
        select(Membership).where(Membership.site_id == site.id, Membership.user_id == user.id)
    )
    if existing is not None:  # given access meanwhile (an operator): the offer has no use
        db.session.delete(offer)
        return Accepted(existing, [])
    with first_write(StaleEdit(what="your access to this site")):  # accepted twice at once
        db.session.delete(offer)
        db.session.flush()
        membership, clashes = add_account(site, user, offer.role, offer.is_sponsor, offered_by)
    record_event("access_accepted", user_id=user.id, site_id=site.id)
    return Accepted(membership, clashes)


def decline_offer(offer_id: int, user: User) -> Site:
    offer = _offer_to(offer_id, user)
    site = db.session.get(Site, offer.site_id)
    revoke_site_invitations(user.id, offer.site_id)
    db.session.delete(offer)
    record_event("access_declined", user_id=user.id, site_id=site.id)
    return site


def withdraw_offer(offer: MembershipOffer, by: User) -> None:
    """The site takes its offer back; its invitation link, if any, stops working."""
    revoke_site_invitations(offer.user_id, offer.site_id)
    record_event(
        "access_withdrawn",
        user_id=by.id,
        site_id=offer.site_id,
        object_type="user",
        object_id=offer.user_id,
    )
    db.session.delete(offer)


def send_again(offer: MembershipOffer, by: User) -> None:
    """A fresh link, only for an account this site invited whose password nobody chose.

    Any other account is emailed the notice of the offer again (it waits on their home
    page), and the manager is told the same either way. The site's earlier link stops
    working. The offer is open again for OFFER_DAYS from now, even after it expired.
    """
    offer.created_at = utcnow()  # open for OFFER_DAYS from today, an expired one too
    if offer.user_id in awaiting_acceptance([offer.user_id], site_id=offer.site_id):
        user = db.session.get(User, offer.user_id)
        create_invitation(user, invited_by=by, site_id=offer.site_id)
    db.session.flush()
    access_offered.send(offer)


def forget_offers(site_id: int, held: Callable[[MembershipOffer], bool]) -> int:
    """Erasure: the site's pending offers that `held` picks go, with the site's links.

    An account made for such an offer that nobody ever used (no password chosen, no other
    site's access or offer) goes too: it holds only the name and email the manager typed.
    Returns how many offers went.
    """
    gone = [offer for offer in offers_for_site(site_id) if held(offer)]
    for offer in gone:
        revoke_site_invitations(offer.user_id, site_id)
        db.session.delete(offer)
    db.session.flush()
    unused = awaiting_acceptance([offer.user_id for offer in gone], site_id=site_id)
    for user_id in unused:
        elsewhere = select(
            exists().where(Membership.user_id == user_id)
            | exists().where(MembershipOffer.user_id == user_id)
        )
        if not db.session.scalar(elsewhere):
            db.session.execute(delete(User).where(User.id == user_id))
    return len(gone)
