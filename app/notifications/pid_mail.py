"""PID agreement mail: the manager's request to the sponsor, the sponsor's answer back.
The same shape as a gateway review (reviews.py): users who chose emails straight away."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.core.cleantext import plain_text
from app.core.dates import uk_date
from app.documents.models import PidRequest
from app.extensions import db
from app.notifications.compose import Draft, external_url
from app.notifications.outbox import gateway_recipients, queue
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
        subject = f"PID waiting for your agreement: {plain_text(site.name)}"
        text = (
            f"The team at {plain_text(site.name)} has asked you, as project sponsor, to agree "
            "the project initiation document (PID). Read it and record your agreement, or say "
            "what must change first."
        )
    else:
        requester = db.session.get(User, asked.requested_by_id) if asked.requested_by_id else None
        users = [requester] if requester is not None else []
        kind = "pid_decision"
        if asked.status == "agreed":
            subject = f"PID agreed: {plain_text(site.name)}"
            text = f"The sponsor agreed PID {asked.version_number} on {uk_date(asked.decided_at)}."
        else:
            subject = f"PID not agreed yet: {plain_text(site.name)}"
            text = (
                f"The sponsor has not agreed the PID yet. What needs to change:\n{asked.comments}"
            )
    count = 0
    # What the sponsor must act on, and its answer: never stopped by the digest's choice.
    for recipient in gateway_recipients(users):
        draft = Draft(subject, text, link=link, button="Open the PID")
        if queue(site.id, kind, recipient, draft, "gateways"):
            count += 1
    return count
