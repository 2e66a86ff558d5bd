"""Gateway mail: a review request to the sponsor, a decision to the project managers."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.core.cleantext import plain_text
from app.extensions import db
from app.gateways.models import DECISIONS, GatewayDecision
from app.notifications.compose import Draft, external_url
from app.notifications.outbox import gateway_recipients, queue
from app.sites.models import Membership, Site
from app.toolkit import get_toolkit


def _members(site_id: int, sponsors: bool) -> list[User]:
    query = select(User).join(Membership, Membership.user_id == User.id)
    query = query.where(Membership.site_id == site_id)
    if sponsors:
        query = query.where(Membership.is_sponsor.is_(True))
    else:  # the project managers: the people who request reviews
        query = query.where(Membership.role == "manager")
    return list(db.session.scalars(query.order_by(User.id)))


def _exceptions(decision: GatewayDecision, heading: str, skip: str = "") -> str:
    """The criteria not met that went forward, each with its reason (left out where it is
    the sponsor's one text, already quoted above)."""
    if not decision.exceptions:
        return ""
    lines = [
        f"- {e['text']}" + (f" Reason: {e['reason']}" if e["reason"] != skip else "")
        for e in decision.exceptions
    ]
    return f"\n\n{heading} ({len(lines)}):\n" + "\n".join(lines)


def queue_decision_mail(decision: GatewayDecision) -> int:
    """Mail for every user who has not switched gateway mail off: what they must act on
    is never stopped by the reminder digest's choice. Everyone also sees it on their
    home page, and weekly readers in their Monday summary."""
    site = db.session.get(Site, decision.site_id)
    site_name = plain_text(site.name)
    phase = get_toolkit().phase(decision.phase).label
    link = external_url("sites.gateways.show", site_id=site.id, phase_no=decision.phase)
    if decision.action == "review_requested":
        users = _members(site.id, sponsors=True)
        kind = "review_request"
        subject = f"Gateway review waiting for you: {phase}, {site_name}"
        text = (
            f"The team at {site_name} has asked you, as project sponsor, to review the "
            f"{phase} gateway. Open the gateway to sign it off or send it back."
            + _exceptions(decision, "Not met yet, with the team's reasons")
        )
    else:
        users = _members(site.id, sponsors=False)
        kind = "decision"
        outcome = DECISIONS.get(decision.action, decision.action)
        subject = f"Gateway decision: {phase} {outcome.lower()}, {site_name}"
        text = f"The {phase} gateway at {site_name}: {outcome.lower()}."
        if decision.comments:
            heading = "Reasons and conditions" if decision.exceptions else "Comments"
            text += f"\n\n{heading}:\n{decision.comments}"
        text += _exceptions(decision, "Accepted although not met", skip=decision.comments)
    users = [user for user in users if user.id != decision.user_id]
    count = 0
    for recipient in gateway_recipients(users):
        draft = Draft(subject, text, link=link, button="Open the gateway")
        if queue(site.id, kind, recipient, draft, "gateways"):
            count += 1
    return count
