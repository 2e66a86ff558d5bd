"""Single sign-on with OpenID Connect: which identities may sign in, and as whom.

The protocol (discovery, state, nonce, PKCE, the ID token's signature, audience and
expiry) is Authlib's; this module holds our rules, on plain values:
- an identity is the provider's issuer and subject, never an email claim: a returning
  person is found by (iss, sub) alone;
- the issuer must be one we allow. Entra ID's multi-tenant discovery document names
  its issuer "https://login.microsoftonline.com/{tenantid}/v2.0": a token's issuer must
  be that template filled with the token's own `tid`, and then be on the allow-list;
- a first sign-in links an identity to an account only when the email is verified, in
  an allowed domain, and already has an account here (invited, or a member);
- a deactivated account stays out whatever the provider says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from app.accounts.models import ExternalIdentity, User
from app.accounts.queries import find_user, normalise_email
from app.core.audit import record_event
from app.core.dates import utcnow
from app.extensions import db

TENANT_TEMPLATE = "{tenantid}"


def _listed(setting: str | None) -> list[str]:
    return [part.strip() for part in (setting or "").split(",") if part.strip()]


@dataclass(frozen=True)
class SsoSettings:
    allowed_issuers: tuple[str, ...]
    allowed_domains: tuple[str, ...]

    @classmethod
    def from_config(cls, config: Mapping) -> SsoSettings:
        return cls(
            tuple(_listed(config.get("OIDC_ALLOWED_ISSUERS"))),
            tuple(domain.lower().lstrip("@") for domain in _listed(config["OIDC_ALLOWED_DOMAINS"])),
        )


def is_configured(config: Mapping | None = None) -> bool:
    config = config if config is not None else current_app.config
    return all(
        config.get(key) for key in ("OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
    )


class SsoRefused(Exception):
    """A sign-in we do not let through; the message is shown to the person."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason  # logged (no personal data)


def issuer_allowed(claims: Mapping, discovery_issuer: str, settings: SsoSettings) -> bool:
    """Is the token's issuer the provider's (its tenant's) and on our allow-list?"""
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer:
        return False
    if TENANT_TEMPLATE in discovery_issuer:
        tenant = claims.get("tid")
        if not isinstance(tenant, str) or not tenant or "/" in tenant:
            return False
        expected = discovery_issuer.replace(TENANT_TEMPLATE, tenant)
    else:
        expected = discovery_issuer
    if issuer != expected:
        return False
    if settings.allowed_issuers:
        return issuer in settings.allowed_issuers
    # No list: only a single-tenant provider's own issuer (never "any Entra tenant").
    return TENANT_TEMPLATE not in discovery_issuer


def _email_verified(claims: Mapping) -> bool:
    # Entra ID does not send email_verified; its optional claim xms_edov ("email domain
    # owner verified") says the same thing and is accepted in its place.
    return any(
        claims.get(name) in (True, "true", "True") for name in ("email_verified", "xms_edov")
    )


WHO_TO_ASK = (
    "Ask your site manager, or the FLS Tracker administrators, to invite you with the email "
    "address your NHS account uses. Then sign in again."
)


def user_for_identity(claims: Mapping, discovery_issuer: str, settings: SsoSettings) -> User:
    """The account these verified ID-token claims sign in as, linking it on first use.

    Raises SsoRefused with what to tell the person. Not committed.
    """
    if not issuer_allowed(claims, discovery_issuer, settings):
        raise SsoRefused(
            "Your organisation's accounts cannot sign in to the FLS Tracker yet. "
            "Ask the FLS Tracker administrators to add your organisation.",
            "issuer not allowed",
        )
    issuer, subject = claims["iss"], claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SsoRefused("Your NHS account did not say who you are. Try again.", "no subject")
    identity = db.session.scalar(
        select(ExternalIdentity).where(
            ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject
        )
    )
    if identity is not None:
        user = db.session.get(User, identity.user_id)
    else:
        user = _first_sign_in(claims, issuer, subject, settings)
    if not user.active:
        raise SsoRefused(
            "Your FLS Tracker account has been deactivated. Ask an administrator if you "
            "still need it.",
            "account deactivated",
        )
    db.session.execute(
        update(ExternalIdentity)
        .where(ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject)
        .values(last_used_at=utcnow())
    )
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(last_login_at=utcnow(), last_login_method="sso")
    )
    record_event("login", user_id=user.id, detail="single sign-on")
    return user


def _first_sign_in(claims: Mapping, issuer: str, subject: str, settings: SsoSettings) -> User:
    email = normalise_email(claims.get("email") if isinstance(claims.get("email"), str) else "")
    if not email or not _email_verified(claims):
        raise SsoRefused(
            "Your NHS account did not confirm your email address, so it cannot be linked to "
            "an FLS Tracker account. Ask your IT service desk, or sign in with your password.",
            "email not verified",
        )
    domain = email.rpartition("@")[2]
    if settings.allowed_domains and domain not in settings.allowed_domains:
        raise SsoRefused(
            f"Accounts ending @{domain} cannot sign in here. {WHO_TO_ASK}", "domain not allowed"
        )
    user = find_user(email)
    if user is None:
        raise SsoRefused(f"You do not have an FLS Tracker account yet. {WHO_TO_ASK}", "no account")
    already = db.session.scalar(
        select(ExternalIdentity.id).where(
            ExternalIdentity.user_id == user.id, ExternalIdentity.issuer == issuer
        )
    )
    if already is not None:
        # Another identity at the same provider already holds this account: an email
        # claim alone must not move it to a new one.
        raise SsoRefused(
            "This FLS Tracker account is linked to a different NHS account. Ask an "
            "administrator if your NHS account has changed.",
            "account linked to another subject",
        )
    db.session.add(ExternalIdentity(user_id=user.id, issuer=issuer, subject=subject))
    db.session.flush()
    record_event("sso_linked", user_id=user.id)
    return user
