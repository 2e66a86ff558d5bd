"""Single sign-on against a real OpenID Connect provider on localhost (tests/oidc_provider).

Each rule has its case: linking by issuer and subject, the tenant allow-list, first
sign-in only for invited people with a verified email, the state used once, a
deactivated account kept out, and password sign-in that can be turned off.
"""

from sqlalchemy import select

from app.accounts.models import ExternalIdentity, User
from app.accounts.sso import SsoSettings, issuer_allowed
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token
from tests.fixtures.oidc import callback_path


def _person(email: str, verified: bool = True) -> dict:
    """Claims at the provider; the login name people are kept under is their subject."""
    return {"email": email, "email_verified": verified, "name": "Sam"}


def _sign_in(client, provider, login: str):
    start = client.get("/login/nhs")
    assert start.status_code == 302
    assert start.location.startswith(provider.issuer)
    return client.get(callback_path(provider.sign_in(start.location, login)))


def test_the_button_shows_only_when_configured(client, app, oidc_provider) -> None:
    assert "Sign in with your NHS account" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/nhs").status_code == 404
    from tests.fixtures.oidc import use_provider

    saved = use_provider(app, oidc_provider)
    try:
        assert "Sign in with your NHS account" in client.get("/login").get_data(as_text=True)
    finally:
        app.config.update(saved)


def test_the_request_uses_state_nonce_and_pkce(client, sso) -> None:
    location = client.get("/login/nhs").location
    for parameter in ("state=", "nonce=", "code_challenge=", "code_challenge_method=S256"):
        assert parameter in location, parameter
    assert "scope=openid+email+profile" in location


def test_an_invited_person_signs_in_and_is_linked_by_subject(client, sso, make_user) -> None:
    user = make_user(email="sam@example.nhs.uk")
    sso.people = {"sub-sam": _person("Sam@Example.nhs.uk")}
    response = _sign_in(client, sso, "sub-sam")
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    identity = db.session.scalar(select(ExternalIdentity))
    assert (identity.user_id, identity.issuer, identity.subject) == (user.id, sso.issuer, "sub-sam")
    assert db.session.get(User, user.id).last_login_method == "sso"


def test_a_returning_person_is_found_by_subject_not_email(app, sso, make_user) -> None:
    user = make_user(email="sam@example.nhs.uk")
    sso.people = {"sub-sam": _person("sam@example.nhs.uk")}
    _sign_in(app.test_client(), sso, "sub-sam")
    # Their email changes at the provider (a new NHSmail address): still the same account.
    sso.people = {"sub-sam": _person("sam.jones@nhs.net")}
    later = app.test_client()
    assert _sign_in(later, sso, "sub-sam").status_code == 302
    assert later.get("/account").status_code == 200
    assert user.email in later.get("/account").get_data(as_text=True)


def test_an_email_claim_alone_never_takes_over_a_linked_account(app, sso, make_user) -> None:
    make_user(email="sam@example.nhs.uk")
    sso.people = {
        "sub-sam": _person("sam@example.nhs.uk"),
        "sub-other": _person("sam@example.nhs.uk"),
    }
    _sign_in(app.test_client(), sso, "sub-sam")
    other = app.test_client()
    refused = _sign_in(other, sso, "sub-other")
    assert refused.status_code == 403
    assert "linked to a different NHS account" in refused.get_data(as_text=True)
    assert other.get("/").status_code == 302


def test_someone_not_invited_is_told_who_to_ask(client, sso) -> None:
    sso.people = {"sub-new": _person("new.person@example.nhs.uk")}
    response = _sign_in(client, sso, "sub-new")
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "You do not have an FLS Tracker account yet" in text
    assert "Ask your site manager" in text
    assert db.session.scalar(select(ExternalIdentity)) is None
    assert client.get("/").status_code == 302


def test_an_unverified_email_is_not_linked(client, sso, make_user) -> None:
    make_user(email="sam@example.nhs.uk")
    sso.people = {"sub-sam": _person("sam@example.nhs.uk", verified=False)}
    response = _sign_in(client, sso, "sub-sam")
    assert response.status_code == 403
    assert "did not confirm your email" in response.get_data(as_text=True)
    assert db.session.scalar(select(ExternalIdentity)) is None


def test_a_tenant_not_on_the_list_is_refused(client, app, sso, make_user) -> None:
    make_user(email="sam@example.nhs.uk")
    sso.people = {"sub-sam": _person("sam@example.nhs.uk")}
    app.config["OIDC_ALLOWED_ISSUERS"] = "https://login.microsoftonline.com/another/v2.0"
    response = _sign_in(client, sso, "sub-sam")
    assert response.status_code == 403
    assert "accounts cannot sign in to the FLS Tracker yet" in response.get_data(as_text=True)
    app.config["OIDC_ALLOWED_ISSUERS"] = f"https://elsewhere.example, {sso.issuer}"
    assert _sign_in(app.test_client(), sso, "sub-sam").status_code == 302


def test_an_email_domain_not_allowed_is_refused(client, app, sso, make_user) -> None:
    make_user(email="sam@example.org")
    sso.people = {"sub-sam": _person("sam@example.org")}
    app.config["OIDC_ALLOWED_DOMAINS"] = "nhs.net, example.nhs.uk"
    response = _sign_in(client, sso, "sub-sam")
    assert response.status_code == 403 and "@example.org" in response.get_data(as_text=True)


def test_a_replayed_state_is_refused(client, sso, make_user) -> None:
    make_user(email="sam@example.nhs.uk")
    sso.people = {"sub-sam": _person("sam@example.nhs.uk")}
    start = client.get("/login/nhs")
    callback = callback_path(sso.sign_in(start.location, "sub-sam"))
    assert client.get(callback).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    replay = client.get(callback)
    assert replay.status_code == 400
    assert "already used" in replay.get_data(as_text=True)
    assert client.get("/").status_code == 302
    # Nor in another browser, which never started a sign-in.
    assert client.application.test_client().get(callback).status_code == 400


def test_a_deactivated_account_stays_out(app, sso, make_user) -> None:
    user = make_user(email="sam@example.nhs.uk")
    sso.people = {"sub-sam": _person("sam@example.nhs.uk")}
    _sign_in(app.test_client(), sso, "sub-sam")  # linked while active
    db.session.get(User, user.id).active = False
    db.session.commit()
    client = app.test_client()
    response = _sign_in(client, sso, "sub-sam")
    assert response.status_code == 403
    assert "deactivated" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sso_staff_are_not_asked_for_a_second_code(app, sso, make_user) -> None:
    make_user(email="ali@example.org", global_role="admin")
    sso.people = {"sub-ali": _person("ali@example.org")}
    app.config["TWO_FACTOR_ROLES"] = "admin,support"
    try:
        client = app.test_client()
        _sign_in(client, sso, "sub-ali")
        assert client.get("/admin/users").status_code == 200
    finally:
        app.config["TWO_FACTOR_ROLES"] = ""


def test_signing_out_ends_the_app_session(client, sso, make_user) -> None:
    make_user(email="sam@example.nhs.uk")
    sso.people = {"sub-sam": _person("sam@example.nhs.uk")}
    _sign_in(client, sso, "sub-sam")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    assert client.get("/").status_code == 302


def test_password_sign_in_can_be_turned_off(client, app, sso, make_user) -> None:
    user = make_user()
    app.config["PASSWORD_SIGN_IN"] = False
    try:
        page = client.get("/login").get_data(as_text=True)
        assert "Sign in with your NHS account" in page and 'name="password"' not in page
        response = client.post(
            "/login",
            data={
                "email": user.email,
                "password": PASSWORD,
                "csrf_token": csrf_token(client, "/login"),
            },
        )
        assert response.status_code == 403
        assert client.get("/").status_code == 302
        assert client.get("/password-reset").status_code == 404
    finally:
        app.config["PASSWORD_SIGN_IN"] = True


ENTRA = "https://login.microsoftonline.com/{tenantid}/v2.0"
OURS = "11111111-2222-3333-4444-555555555555"
THEIRS = "99999999-8888-7777-6666-555555555555"


def test_entra_multi_tenant_issuers_are_checked_against_the_list() -> None:
    allowed = SsoSettings((f"https://login.microsoftonline.com/{OURS}/v2.0",), ())

    def claims(tenant: str, issuer_tenant: str | None = None) -> dict:
        issuer = f"https://login.microsoftonline.com/{issuer_tenant or tenant}/v2.0"
        return {"iss": issuer, "tid": tenant}

    assert issuer_allowed(claims(OURS), ENTRA, allowed)
    assert not issuer_allowed(claims(THEIRS), ENTRA, allowed)  # another trust's tenant
    assert not issuer_allowed(claims(OURS, THEIRS), ENTRA, allowed)  # iss and tid disagree
    assert not issuer_allowed({"iss": claims(OURS)["iss"]}, ENTRA, allowed)  # no tid
    # The issuer must be the one of the token's own tenant, even when both are allowed.
    both = SsoSettings(
        tuple(f"https://login.microsoftonline.com/{tenant}/v2.0" for tenant in (OURS, THEIRS)), ()
    )
    assert issuer_allowed(claims(THEIRS), ENTRA, both)
    assert not issuer_allowed(claims(OURS, THEIRS), ENTRA, both)
    # With no list, a multi-tenant provider lets nobody in (never "any Entra tenant").
    assert not issuer_allowed(claims(OURS), ENTRA, SsoSettings((), ()))
