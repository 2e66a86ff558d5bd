"""Invitations: a single-use link with which a new user chooses their own password.

Only a SHA-256 hash of the token is stored, so a copy of the database holds no working
links (apart from an invitation email still waiting in the outbox). The link is shown
once to whoever sent it, and the notifications feature emails it to the invitee when the
invitation is saved (`notifications/hooks.py`).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import select, update

from app.accounts import signals
from app.accounts.models import Invitation, User
from app.accounts.queries import find_user, normalise_email
from app.accounts.service import check_new_password, end_sessions, hash_password
from app.core.audit import record_event
from app.core.dates import utcnow
from app.core.errors import ServiceError
from app.extensions import db

INVITATION_DAYS = 7


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    """The link to send: absolute when a request or SERVER_NAME gives the host, else a path.

    (A mailer running outside a request should set SERVER_NAME, or prefix its own base URL.)
    """
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for("accounts.accept_invitation", token=token, _external=True)
    return f"/invitations/{token}"


def create_invitation(
    user: User, invited_by: User | None = None, site_id: int | None = None
) -> tuple[Invitation, str]:
    """A new single-use link for `user`, valid for 7 days.

    A site's link replaces only that site's earlier links: re-sending one site's invitation
    never touches another's. An administrator's (no site) replaces every earlier link.
    Returns the invitation and its URL. The URL is not stored anywhere: send it now.
    """
    replaced = update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    if site_id is not None:
        replaced = replaced.where(Invitation.site_id == site_id)
    db.session.execute(replaced.values(revoked=True))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        user_id=user.id,
        site_id=site_id,
        invited_by_id=invited_by.id if invited_by else None,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    # Not a column: the notifications feature reads it when the invitation is saved and
    # emails the link (the database keeps only the hash).
    invitation.link_token = token
    db.session.add(invitation)
    db.session.flush()
    record_event(
        "invite",
        user_id=invited_by.id if invited_by else None,
        site_id=site_id,
        object_type="user",
        object_id=user.id,
        detail=f"Invitation #{invitation.id} for user #{user.id}",
    )
    return invitation, invitation_url(token)


def invite_user(email: str, name: str) -> tuple[User, bool]:
    """The account for this email, created (without a usable password) if there is none.

    Returns (user, created). A new account can only be used once its invitation is accepted.
    """
    email = normalise_email(email)
    if not email or "@" not in email:
        raise ServiceError("Enter an email address like name@nhs.net.", field="email")
    user = find_user(email)
    if user is not None:
        return user, False
    if not (name or "").strip():
        raise ServiceError("Enter the person's full name.", field="name")
    user = User(
        email=email,
        name=name.strip(),
        # Nobody knows this password: the account is used only once the invitation is taken up.
        password_hash=hash_password(secrets.token_urlsafe(32)),
    )
    db.session.add(user)
    db.session.flush()
    return user, True


class InvitationProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def usable_invitation(token: str) -> Invitation:
    """The invitation behind this link, or InvitationProblem saying why it cannot be used."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None:
        raise InvitationProblem(
            "This invitation link is not valid. Check you copied all of it, or ask for a new one."
        )
    if invitation.used_at is not None:
        raise InvitationProblem(
            "This invitation has already been used. Sign in with the password you chose, "
            "or ask a site manager for a new invitation."
        )
    if invitation.revoked:
        raise InvitationProblem(
            "A newer invitation has been sent to you, so this one no longer works. "
            "Use the latest link."
        )
    if invitation.expires_at <= utcnow():
        raise InvitationProblem(
            f"This invitation has expired (links last {INVITATION_DAYS} days). "
            "Ask a site manager or an administrator to invite you again."
        )
    user = db.session.get(User, invitation.user_id)
    if user is None or not user.active:
        raise InvitationProblem("This account has been deactivated. Ask an administrator.")
    return invitation


def accept_invitation(token: str, password: str) -> User:
    """Set the user's own password and use the invitation up. Not committed."""
    invitation = usable_invitation(token)
    check_new_password(password)
    user = db.session.get(User, invitation.user_id)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    end_sessions(user)
    invitation.used_at = utcnow()
    # Any other link for this account stops working now that its password is chosen.
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.user_id == user.id,
            Invitation.used_at.is_(None),
            Invitation.id != invitation.id,
        )
        .values(revoked=True)
    )
    record_event("invitation_accepted", user_id=user.id, site_id=invitation.site_id)
    if user.last_login_at is not None:  # a re-invitation replaced a password in use
        signals.password_changed.send(user)
    return user


def revoke_site_invitations(user_id: int, site_id: int) -> None:
    """The site's unused links for this account stop working (its offer was withdrawn)."""
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.user_id == user_id,
            Invitation.site_id == site_id,
            Invitation.used_at.is_(None),
        )
        .values(revoked=True)
    )


def awaiting_acceptance(user_ids: list[int], site_id: int | None = None) -> set[int]:
    """Of these accounts, those whose password nobody has chosen yet and whose first
    invitation came from `site_id` (None: any): only that site may send them a new link.

    One query. Accounts that ever used a link, signed in, or hold a global role are left
    out: a site's link must never re-key an account someone already uses (or another
    site's invitee), and only an administrator sends those a new link.
    """
    if not user_ids:
        return set()
    rows = db.session.execute(
        select(Invitation.user_id, Invitation.site_id, Invitation.used_at)
        .join(User, User.id == Invitation.user_id)
        .where(
            Invitation.user_id.in_(user_ids),
            User.global_role.is_(None),
            User.last_login_at.is_(None),
        )
        .order_by(Invitation.id)
    ).all()
    first_site: dict[int, int | None] = {}
    used: set[int] = set()
    for user_id, invitation_site_id, used_at in rows:
        first_site.setdefault(user_id, invitation_site_id)
        if used_at is not None:
            used.add(user_id)
    return {
        user_id
        for user_id, first in first_site.items()
        if user_id not in used and (site_id is None or first == site_id)
    }
