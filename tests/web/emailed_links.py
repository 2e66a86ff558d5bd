"""The invitation link as the invitee receives it: read from the queued email, since the
site's manager is never shown it."""

import re
from email import message_from_bytes
from email.policy import default

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.stored import render


def emailed_invitation_path(email: str) -> str:
    """The path of the newest invitation link queued for this address."""
    stored = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "account_invitation", OutboxMessage.to_address == email)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    assert stored, f"no invitation queued for {email}"
    body = message_from_bytes(render(stored), policy=default).get_body(("plain",)).get_content()
    return re.search(r"/invitations/[A-Za-z0-9_-]+", body).group(0)
