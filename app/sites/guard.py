"""The one place that decides who may use a site's pages."""

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import and_, select

from app.core.access import deny, is_sponsor_action, role_at_least
from app.extensions import db, login_manager
from app.sites import site_bp
from app.sites.models import Membership, Site

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# A member's own settings on a site (their calendar link): any member may post them.
MEMBER_ENDPOINTS: set[str] = set()


@site_bp.url_value_preprocessor
def pull_site_id(_endpoint: str | None, values: dict | None) -> None:
    g.site_id = values.pop("site_id") if values else None


@site_bp.url_defaults
def add_site_id(_endpoint: str, values: dict) -> None:
    site = getattr(g, "site", None)
    if site is not None and "site_id" not in values:
        values["site_id"] = site.id


@site_bp.before_request
def check_site_access():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    # The site and the user's membership of it in one statement.
    found = db.session.execute(
        select(Site, Membership)
        .outerjoin(
            Membership,
            and_(Membership.site_id == Site.id, Membership.user_id == current_user.id),
        )
        .where(Site.id == g.site_id)
    ).first()
    if found is None:
        abort(404)
    site, membership = found
    role = membership.role if membership else None
    if current_user.is_admin:
        role = "manager"
    elif role is None and current_user.is_support:
        role = "viewer"  # support staff read every site but change nothing unless members
    g.site, g.membership, g.site_role = site, membership, role
    if role is None:
        deny("not a member", site.id)
    # A view marked @sponsor_required is a sponsor's decision (it checks the sponsor itself):
    # a sponsor whose role is viewer (an executive who only reads) still reaches it.
    view = current_app.view_functions.get(request.endpoint or "")
    sponsor_action = is_sponsor_action(view) and membership and membership.is_sponsor
    read_only = not role_at_least(role, "editor")
    own_setting = request.endpoint in MEMBER_ENDPOINTS and membership is not None
    if request.method not in SAFE_METHODS and read_only and not (sponsor_action or own_setting):
        deny("read-only role", site.id)
    return None
