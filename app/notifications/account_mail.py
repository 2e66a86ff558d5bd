"""The invitation link of a new account, emailed to the person invited."""

from __future__ import annotations

from app.accounts.invitations import INVITATION_DAYS
from app.accounts.models import Invitation, User
from app.core.addresses import valid_address
from app.core.cleantext import plain_text
from app.extensions import db
from app.notifications.compose import Draft, Recipient, external_url
from app.notifications.outbox import queue
from app.sites.models import Site


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
    inviter = db.session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    by = f"{plain_text(inviter.name)} has" if inviter else "You have been"
    text = (
        f"{by} given you access to {place}. Open the link below to choose your "
        "password and sign in.\n\n"
        f"The link works once and stops working in {INVITATION_DAYS} days. If it has "
        "expired, ask a site manager or an administrator to invite you again."
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
            button="Choose your password",
        ),
        None,  # account mail: always sent, no unsubscribe link
        thread=f"account-invitation-{user.id}",
    )
    return True
