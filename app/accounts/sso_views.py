"""Sign in with your NHS account: the OpenID Connect redirect and callback (Authlib)."""

import logging

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.accounts import bp, sessions, sso
from app.core.access import public
from app.core.web import safe_next
from app.extensions import db

log = logging.getLogger(__name__)
AFTER_SIGN_IN = "_sso_next"


def _client():  # noqa: ANN202
    """The app's OpenID Connect client, built once per set of OIDC_* settings."""
    config = current_app.config
    key = (config["OIDC_DISCOVERY_URL"], config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"])
    clients = current_app.extensions.setdefault("fls_oidc_clients", {})
    if key not in clients:
        registry = OAuth(current_app)
        clients[key] = registry.register(
            "nhs",
            client_id=key[1],
            client_secret=key[2],
            server_metadata_url=key[0],
            # Authlib sends and checks state and nonce itself; PKCE with S256 on top.
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
    return clients[key]


def _problem(message: str, status: int):  # noqa: ANN202
    return render_template("accounts/sso_problem.html", message=message), status


@bp.get("/login/nhs")
@public
def sso_start():
    if not sso.is_configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    session[AFTER_SIGN_IN] = safe_next(request.args.get("next"), url_for("home.index"))
    try:
        return _client().authorize_redirect(url_for("accounts.sso_callback", _external=True))
    except requests.RequestException:
        log.warning("Single sign-on: the identity provider could not be reached")
        return _problem("We could not reach the NHS sign-in service. Try again shortly.", 502)


@bp.get("/login/nhs/callback")
@public
def sso_callback():
    if not sso.is_configured():
        abort(404)
    client = _client()
    try:
        # The issuer is checked by our own rule (Entra's "{tenantid}" issuer template).
        token = client.authorize_access_token(claims_options={"iss": {"essential": True}})
        discovery_issuer = client.load_server_metadata()["issuer"]
    except OAuthError as error:
        log.info("Single sign-on refused by the client: %s", error.error)
        return _problem(
            "This sign-in did not finish: it was already used, took too long or was "
            "cancelled. Start again from the sign-in page.",
            400,
        )
    except requests.RequestException:
        log.warning("Single sign-on: the identity provider could not be reached")
        return _problem("We could not reach the NHS sign-in service. Try again shortly.", 502)
    claims = token.get("userinfo") or {}
    try:
        user = sso.user_for_identity(
            claims, discovery_issuer, sso.SsoSettings.from_config(current_app.config)
        )
    except sso.SsoRefused as refused:
        db.session.rollback()
        log.info("Single sign-on refused: %s", refused.reason)
        return _problem(refused.message, 403)
    db.session.commit()
    # The provider runs its own multi-factor checks: no second code here.
    sessions.sign_in(user, "sso", second_factor=True)
    return redirect(safe_next(session.pop(AFTER_SIGN_IN, None), url_for("home.index")))
