"""Response headers and session limits, set in one place for every response.

The Content-Security-Policy allows scripts and styles only from this server, plus inline
blocks carrying the per-request nonce (the NHS.UK page template's one-line `js-enabled`
script and a few print stylesheets). Fonts come from the NHS.UK asset server.
"""

from __future__ import annotations

import secrets
import time

from flask import Flask, Request, Response, current_app, flash, g, request, session
from flask_login import logout_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

SESSION_SEEN = "_seen"  # last request, seconds since the epoch: the idle timeout
SESSION_STARTED = "_started"  # sign-in time: the absolute lifetime


def csp_nonce() -> str:
    """One random nonce per request, shared by the header and every template."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self' https://assets.nhs.uk",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def start_session_clock() -> None:
    """Called at sign-in: both the idle and the absolute limits count from now."""
    now = int(time.time())
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now


def _session_expired(now: int) -> bool:
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    seen = session.get(SESSION_SEEN)
    started = session.get(SESSION_STARTED)
    if not isinstance(seen, int) or not isinstance(started, int):
        start_session_clock()  # a session signed in before these limits: count from now
        return False
    return now - seen > idle or now - started > absolute


def enforce_session_limits() -> None:
    """Sign out a browser session left idle too long, or older than the absolute limit."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    if _session_expired(now):
        session.pop(SESSION_SEEN, None)
        session.pop(SESSION_STARTED, None)
        logout_user()
        flash("You were signed out after a time without activity. Sign in to carry on.")
        return
    # Static files are fetched by the browser, not by a person using the service.
    if request.endpoint != "static":
        session[SESSION_SEEN] = now


def _without_nul(value: object) -> object:
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):
    """Query parameters and form fields with NUL removed, before any view reads them.

    No text needs it, PostgreSQL cannot store it (a 500 on save) and Word, Excel and
    calendar files break on it; the other control characters are cleaned on the way out.
    Werkzeug builds `request.args` and `request.form` (and `files`) from lists of pairs
    through the request's `parameter_storage_class`, its documented way to change them."""

    def __init__(self, mapping=None) -> None:  # noqa: ANN001 - whatever MultiDict takes
        if isinstance(mapping, list):
            mapping = [(_without_nul(key), _without_nul(value)) for key, value in mapping]
        super().__init__(mapping)


class CleanRequest(Request):
    parameter_storage_class = NulFreeMultiDict


def register_security(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXY_COUNT", 0)
    if proxies:
        # Behind a load balancer, the client's address (sign-in throttling) and the scheme
        # (HSTS, secure cookies) come from the X-Forwarded-* headers it sets.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.request_class = CleanRequest
    app.before_request(enforce_session_limits)
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.context_processor
    def nonce_context() -> dict:
        # The NHS.UK page template reads `cspNonce` for its inline `js-enabled` script.
        return {"cspNonce": csp_nonce()}


__all__ = ["csp_nonce", "register_security", "start_session_clock"]
