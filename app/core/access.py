"""Roles, the access a route declares, and the checks every per-site route relies on.

A route declares any access out of the ordinary where it is defined, with a decorator that
records an `Access` on the view function: `@public` (no sign-in), `@member_setting` (any
member of the site may post it: their own settings), `@sponsor_required` (a sponsor's
decision), `@open_before_password_change`, `@open_before_second_factor`. Everything else
needs a signed-in person, and under `/sites/<id>/` a member, with editor or above for an
unsafe method. The one guard that reads the declarations and decides is
`app.sites.guard.guard_request`.

The guard loads the site and sets `g.site_role` before any nested view runs; the helpers
below only read what it set, so they work the same in every feature.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request
from flask_login import current_user
from sqlalchemy import select

from app.core.audit import record_event
from app.extensions import db

log = logging.getLogger(__name__)
M = TypeVar("M")

GLOBAL_ROLES = ("support", "admin")
SITE_ROLES = ("viewer", "editor", "manager")
SITE_ROLE_NAMES = {"viewer": "Viewer", "editor": "Editor", "manager": "Manager"}
_RANK = {role: rank for rank, role in enumerate(SITE_ROLES, start=1)}


def role_at_least(role: str | None, minimum: str) -> bool:
    return role is not None and _RANK.get(role, 0) >= _RANK[minimum]


def deny(reason: str, site_id: int | None = None) -> None:
    """Refuse with 403 and keep a record of who tried what (ids and path only, no names)."""
    user_id = current_user.id if current_user.is_authenticated else None
    log.warning("Denied %s %s for user %s: %s", request.method, request.path, user_id, reason)
    db.session.rollback()
    record_event(
        "denied", user_id=user_id, site_id=site_id, detail=f"{request.method} {request.path}"
    )
    db.session.commit()
    abort(403)


def current_site_role() -> str | None:
    return getattr(g, "site_role", None)


def can(minimum: str) -> bool:
    """True when the signed-in person's role on the current site is at least `minimum`."""
    return role_at_least(current_site_role(), minimum)


def require_site_role(minimum: str) -> None:
    if not can(minimum):
        site = getattr(g, "site", None)
        deny(f"needs {minimum}", site.id if site else None)


def is_sponsor() -> bool:
    membership = getattr(g, "membership", None)
    return bool(membership and membership.is_sponsor)


def require_sponsor() -> None:
    if not is_sponsor():
        site = getattr(g, "site", None)
        deny("needs sponsor", site.id if site else None)


@dataclass(frozen=True)
class Access:
    """What a route declares about who may use it; the default is the ordinary rule."""

    public: bool = False  # anyone, signed in or not (sign-in, invitation links, health check)
    member_setting: bool = False  # any member of the site may post it (their own settings)
    sponsor_decision: bool = False  # the site's sponsor may post it whatever their role
    before_password_change: bool = False  # open to someone who must first change a password
    before_second_factor: bool = False  # open to someone who still owes their second factor


def access_of(view: Callable | None) -> Access:
    """The access a view function declared (`Access()` when it declared none)."""
    return getattr(view, "access", None) or Access()


def _declare(view: Callable, **declared: bool) -> Callable:
    view.access = replace(access_of(view), **declared)  # type: ignore[attr-defined]
    return view


def public(view: Callable) -> Callable:
    """Open to anyone, signed in or not."""
    return _declare(view, public=True)


def member_setting(view: Callable) -> Callable:
    """A member's own setting on a site: any member may post it, a viewer too."""
    return _declare(view, member_setting=True)


def open_before_password_change(view: Callable) -> Callable:
    """Reachable by someone whose password was chosen by another and must be replaced."""
    return _declare(view, before_password_change=True)


def open_before_second_factor(view: Callable) -> Callable:
    """Reachable by someone signed in with a password who still owes their second factor."""
    return _declare(view, before_second_factor=True)


def sponsor_required(view: Callable) -> Callable:
    """Mark a route as a sponsor's decision: only the site's sponsor may take it (refused and
    logged for anyone else, even with a forged form), whatever their role, so a sponsor
    whose access is viewer still can (the guard lets them past the read-only rule)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_sponsor()
        return view(*args, **kwargs)

    return _declare(wrapper, sponsor_decision=True)


def require_global_role(*roles: str) -> None:
    if not current_user.is_authenticated:
        abort(401)
    if current_user.global_role not in roles:
        deny(f"needs global role {'/'.join(roles)}")


def get_for_site_or_404(
    model: type[M], object_id: int | None, *options: Any, where: tuple = ()
) -> M:
    """Load a record through the current site: an id from another site is a 404, never data.

    The one load-and-authorise helper every feature uses. `options` are loader options
    (eager loading for the page); `where` adds conditions (e.g. the parent record's id).
    """
    if object_id is None:
        abort(404)
    record = db.session.scalar(
        select(model)
        .where(model.id == object_id, model.site_id == g.site.id, *where)
        .options(*options)
    )
    if record is None:
        abort(404)
    return record
