"""The one guard decides access from what each route declares where it is defined."""

from __future__ import annotations

from app.core.access import access_of
from app.extensions import db
from tests.conftest import sign_in


def test_only_the_routes_declared_public_open_without_signing_in(app) -> None:
    declared = {endpoint for endpoint, view in app.view_functions.items() if access_of(view).public}
    # A route joins this list only by being marked @public where it is defined.
    assert declared == {
        "accounts.login",
        "accounts.logout",
        "accounts.accept_invitation",
        "accounts.request_password_reset",
        "accounts.reset_password",
        "accounts.sso_start",
        "accounts.sso_callback",
        "home.healthz",
        "notifications.unsubscribe",
    }
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 302  # everything else: the sign-in page


def test_members_own_settings_are_declared_on_their_routes(app) -> None:
    settings = {e for e, view in app.view_functions.items() if access_of(view).member_setting}
    assert settings == {"sites.meetings.calendar_link", "sites.meetings.revoke_calendar_link"}


def test_a_password_to_replace_comes_first_even_on_open_pages(client, make_user) -> None:
    user = make_user()
    sign_in(client, user)
    user.must_change_password = True
    db.session.commit()
    for path in ("/", "/login", "/no-such-page"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/account/password")
    assert client.get("/account/password").status_code == 200
    assert client.get("/healthz").status_code == 200
