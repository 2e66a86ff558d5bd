"""Email: the outbox and its sender, meeting invitations, review and decision mail,
reminder digests, each user's email choice, unsubscribe links and the "for you" list."""

from flask import Blueprint

from app.notifications import hooks  # noqa: F401 - registers the session hooks that queue mail

# /account/email, /unsubscribe/<token>, /admin/mail
bp = Blueprint("notifications", __name__)
# /sites/<id>/mail: the site's email settings (nested under the site blueprint)
site_bp = Blueprint("mail", __name__)

from app.notifications import views  # noqa: E402, F401
from app.notifications.service import forget_person  # noqa: E402
from app.people.gdpr import ERASURE_HOOKS  # noqa: E402

ERASURE_HOOKS.append(forget_person)
