"""Account mail, each emailed to that person only: a new account's invitation link, the
notice of access offered to someone who already has an account, a password reset link, and
the notice that a password changed."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.accounts.invitations import INVITATION_DAYS
from app.accounts.models import Invitation, PasswordReset, User
from app.core.addresses import valid_address
from app.core.cleantext import plain_text
from app.extensions import db
from app.notifications.compose import Draft, Recipient, external_url
from app.notifications.outbox import queue
from app.sites.models import MembershipOffer, Site

ROLE_WORDS = {"viewer": "a viewer", "editor": "an editor", "manager": "a manager"}


def offered_as(offer: MembershipOffer) -> str:
    """'an editor', or 'a viewer and the project sponsor'."""
    words = ROLE_WORDS.get(offer.role, offer.role)
    return f"{words} and the project sponsor" if offer.is_sponsor else words


def _offer_for(site_id: int, user_id: int) -> MembershipOffer | None:
    return db.session.scalar(
        select(MembershipOffer).where(
            MembershipOffer.site_id == site_id, MembershipOffer.user_id == user_id
        )
    )


def _invited_words(invitation: Invitation, user: User, site: Site | None) -> str:
    """'Ann Lee invited you to Riverside as an editor.' (as much as is known)."""
    inviter = db.session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    by = f"{plain_text(inviter.name)} invited you" if inviter else "You have been invited"
    if site is None:
        return f"{by} to the FLS Tracker."
    offer = _offer_for(site.id, user.id)
    role = f" as {offered_as(offer)}" if offer else ""
    return f"{by} to {plain_text(site.name)} on the FLS Tracker{role}."


def queue_account_invitation(invitation_id: int, token: str) -> bool:
    """Email the link; False when there is nobody to send it to (no usable address, an
    account deactivated or an invitation already replaced in the same change)."""
    invitation = db.session.get(Invitation, invitation_id)
    user = db.session.get(User, invitation.user_id) if invitation else None
    address = valid_address(user.email) if user else None
    if invitation is None or invitation.revoked or not user.active or not address:
        return False
    site = db.session.get(Site, invitation.site_id) if invitation.site_id else None
    place = f"{plain_text(site.name)} on the FLS Tracker" if site else "the FLS Tracker"
    # The link only sets the password (or, without passwords, says how to sign in): access
    # to a site is accepted on the home page.
    then = ", then accept or decline the access on your home page" if site else ""
    if current_app.config["PASSWORD_SIGN_IN"]:
        first_step = f"Open the link below to choose your password{then or ' and sign in'}."
        lasts, button = "works once and stops working", "Choose your password"
    else:
        first_step = f"Open the link below and sign in with the NHS account for {address}{then}."
        lasts, button = "stops working", "Sign in with your NHS account"
    text = (
        f"{_invited_words(invitation, user, site)}\n\n{first_step}\n\n"
        f"The link {lasts} in {INVITATION_DAYS} days. If it has expired, ask a site manager "
        "or an administrator to invite you again."
    )
    # Not tied to the site: the account itself is invited, and the site check is for
    # mail about a site's work. A newer link replaces one still waiting to go.
    queue(
        None,
        "account_invitation",
        Recipient(user.name, address, user_id=user.id),
        Draft(
            f"Your invitation to {place}",
            text,
            link=external_url("accounts.accept_invitation", token=token),
            button=button,
        ),
        None,  # account mail: always sent, no unsubscribe link
        thread=f"account-invitation-{user.id}",
    )
    return True


def queue_password_reset(reset_id: int, token: str) -> bool:
    """Email a reset link; False when there is nobody to send it to."""
    reset = db.session.get(PasswordReset, reset_id)
    user = db.session.get(User, reset.user_id) if reset else None
    address = valid_address(user.email) if user else None
    if reset is None or reset.revoked or not user.active or not address:
        return False
    minutes = round((reset.expires_at - reset.created_at).total_seconds() / 60)
    text = (
        "Someone, probably you, asked to reset the password of your FLS Tracker account. "
        "Open the link below to choose a new password.\n\n"
        f"The link works once and stops working in {minutes} minutes. If you did not ask "
        "for it, you can ignore this email: your password stays as it is."
    )
    # A newer link replaces one still waiting to go.
    queue(
        None,
        "password_reset",
        Recipient(user.name, address, user_id=user.id),
        Draft(
            "Reset your FLS Tracker password",
            text,
            link=external_url("accounts.reset_password", token=token),
            button="Choose a new password",
        ),
        None,  # account mail: always sent, no unsubscribe link
        thread=f"password-reset-{user.id}",
    )
    return True


def queue_password_changed(user_id: int) -> bool:
    """Tell the person their password changed, so a change they did not make is noticed."""
    user = db.session.get(User, user_id)
    address = valid_address(user.email) if user else None
    if user is None or not user.active or not address:
        return False
    text = (
        f"The password of your FLS Tracker account ({user.email}) has just been changed, "
        "and every session signed out.\n\n"
        "If you did this, there is nothing more to do. If you did not, reset your password "
        "now with the link below and tell an administrator."
    )
    queue(
        None,
        "password_changed",
        Recipient(user.name, address, user_id=user.id),
        Draft(
            "Your FLS Tracker password has changed",
            text,
            link=external_url("accounts.request_password_reset"),
            button="Reset your password",
        ),
        None,  # account mail: always sent, no unsubscribe link
    )
    return True


def queue_offer_notice(offer: MembershipOffer) -> bool:
    """Tell someone who already has an account that access waits on their home page.

    Emailed to the account's own address only: the manager who made the offer is shown
    the same words whether or not the email has an account, so nothing here reaches them.
    """
    user = db.session.get(User, offer.user_id)
    address = valid_address(user.email) if user else None
    if user is None or not user.active or not address:
        return False
    site = db.session.get(Site, offer.site_id)
    inviter = db.session.get(User, offer.offered_by_id) if offer.offered_by_id else None
    by = f"{plain_text(inviter.name)} invited you" if inviter else "You have been invited"
    place = f"{plain_text(site.name)} on the FLS Tracker"
    text = (
        f"{by} to {place} as {offered_as(offer)}.\n\n"
        "You join the site only if you accept. Sign in and accept or decline on your "
        "home page.\n\nIf you do not expect this, decline it."
    )
    # A notice sent again replaces one still waiting to go.
    queue(
        None,
        "access_offer",
        Recipient(user.name, address, user_id=user.id),
        Draft(
            f"Access offered to you: {place}",
            text,
            link=external_url("home.index"),
            button="Accept or decline",
        ),
        None,  # about access: always sent, no unsubscribe link
        thread=f"access-offer-{offer.id}",
    )
    return True
