"""PID agreement mail: the manager's request to the sponsor, the sponsor's answer back.
The same shape as a gateway review (reviews.py): users who chose emails straight away."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.core.dates import uk_date
from app.documents.models import PidRequest
from app.extensions import db
from app.notifications.compose import Draft, external_url
from app.notifications.outbox import queue, user_recipients
from app.sites.models import Membership, Site


def _sponsors(site_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.site_id == site_id, Membership.is_sponsor.is_(True))
            .order_by(User.id)
        )
    )


def queue_pid_mail(asked: PidRequest) -> int:
    """To the sponsors when asked; to whoever asked once the sponsor answers."""
    site = db.session.get(Site, asked.site_id)
    link = external_url("sites.documents.index", site_id=site.id) + "#agree"
    if asked.status == "waiting":
        users = [u for u in _sponsors(site.id) if u.id != asked.requested_by_id]
        kind = "pid_request"
        subject = f"PID waiting for your agreement: {site.name}"
        text = (
            f"The team at {site.name} has asked you, as project sponsor, to agree the project "
            f"initiation document (PID).\n\nRead it and record your agreement, or say what "
            f"must change first:\n{link}"
        )
    else:
        requester = db.session.get(User, asked.requested_by_id) if asked.requested_by_id else None
        users = [requester] if requester is not None else []
        kind = "pid_decision"
        if asked.status == "agreed":
            subject = f"PID agreed: {site.name}"
            text = f"The sponsor agreed PID {asked.version_number} on {uk_date(asked.decided_at)}."
        else:
            subject = f"PID not agreed yet: {site.name}"
            text = (
                f"The sponsor has not agreed the PID yet. What needs to change:\n{asked.comments}"
            )
        text += f"\n\nOpen the documents page:\n{link}"
    count = 0
    for recipient in user_recipients(users, "immediate"):
        if queue(site.id, kind, recipient, Draft(subject, text), "updates"):
            count += 1
    return count
