"""The one guard: who may use which page, decided once per request from what the route declares.

`guard_request` runs before every view (registered in `create_app`, after the session
clock in `app.core.security` has signed out a session left idle too long). In order:
  1. sign-in steps still owed: someone whose password was chosen by another changes it
     before anything else, then anyone who owes a second factor gives it (`SIGN_IN_STEPS`;
     a further step is one more function in that tuple);
  2. a route declared `@public` is open to anyone; any other route needs a signed-in person
     (else the sign-in page);
  3. a route under `/sites/<id>/` (the `sites` blueprint and those nested in it) loads the
     site and the person's membership in one statement: 404 for no such site, 403 (logged)
     for someone who is not a member, and 403 for an unsafe method from a viewer or support
     unless the route is declared `@member_setting` (members' own settings) or
     `@sponsor_required` (for the site's sponsor).
The declarations are in `app.core.access`; views check a higher role themselves with
`require_site_role("manager")`.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, current_app, flash, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import and_, select
from werkzeug.wrappers import Response

from app.accounts.two_factor_views import second_factor_owed
from app.core.access import Access, access_of, deny, role_at_least
from app.extensions import db, login_manager
from app.sites import site_bp
from app.sites.models import Membership, Site

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@site_bp.url_value_preprocessor
def pull_site_id(_endpoint: str | None, values: dict | None) -> None:
    g.site_id = values.pop("site_id") if values else None


@site_bp.url_defaults
def add_site_id(_endpoint: str, values: dict) -> None:
    site = getattr(g, "site", None)
    if site is not None and "site_id" not in values:
        values["site_id"] = site.id


def _is_static_file(endpoint: str | None) -> bool:
    return endpoint == "static" or (endpoint or "").endswith(".static")


def password_change_owed(access: Access) -> Response | None:
    """A password chosen by someone else is replaced before anything else is done."""
    # The route's declaration first: a health probe or a static file never loads the user.
    if (
        not access.before_password_change
        and not _is_static_file(request.endpoint)
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        flash("Your password was set by an administrator. Choose your own before you go on.")
        return redirect(url_for("accounts.change_password"))
    return None


# What a signed-in person must do before using anything, in order (each returns the page
# that asks for it, or None when nothing is owed).
SIGN_IN_STEPS: tuple[Callable[[Access], Response | None], ...] = (
    password_change_owed,
    second_factor_owed,
)


def guard_request() -> Response | None:
    view = current_app.view_functions.get(request.endpoint or "")
    access = access_of(view)
    for step in SIGN_IN_STEPS:
        owed = step(access)
        if owed is not None:
            return owed
    if request.endpoint is None or access.public or request.endpoint == "static":
        return None  # no such page (a 404 follows), or open to anyone
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if "sites" in request.blueprints:
        _check_site_access(access)
    return None


def _check_site_access(access: Access) -> None:
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
    if request.method in SAFE_METHODS or role_at_least(role, "editor"):
        return
    # A sponsor's decision checks the sponsor itself: a sponsor whose role is viewer (an
    # executive who only reads) still reaches it. A member's own setting is any member's.
    if access.sponsor_decision and membership is not None and membership.is_sponsor:
        return
    if access.member_setting and membership is not None:
        return
    deny("read-only role", site.id)


def register_guard(app: Flask) -> None:
    app.before_request(guard_request)
