"""Email: the outbox and its sender, meeting invitations, review and decision mail,
reminder digests, each user's email choice, unsubscribe links and the "for you" list."""

from flask import Blueprint

from app.core.registry import Registry
from app.notifications import (
    events,  # noqa: F401 - connects the features' events to mail
    hooks,  # noqa: F401 - registers the session hooks that queue mail
)

# /account/email, /unsubscribe/<token>, /admin/mail
bp = Blueprint("notifications", __name__)
# /sites/<id>/mail: the site's email settings (nested under the site blueprint)
site_bp = Blueprint("mail", __name__)

from app.notifications import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """On erasure, the person's messages go too (they hold the name and address)."""
    from app.notifications.erasure import scrub_outbox
    from app.notifications.service import forget_person

    registry.erasure_hooks.append(forget_person)
    # Messages to others and mail files that mention them are rewritten (or go) too.
    registry.erasure_scrubbers.append(scrub_outbox)
