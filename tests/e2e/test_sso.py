"""Signing in with an NHS account in Chromium, against a real OpenID Connect provider."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from app.accounts.service import create_user
from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_account_security import shot
from tests.fixtures.oidc import Provider, running_provider, use_provider


@pytest.fixture(scope="session")
def live_provider(_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    folder = tmp_path_factory.mktemp("oidc-live")
    with running_provider(folder, [f"{_server}/login/nhs/callback"]) as provider:
        yield provider


@pytest.fixture
def nhs_sign_in(live_server, live_provider: Provider) -> Iterator[Provider]:  # noqa: ANN001
    live_provider.people = {}
    saved = use_provider(live_server.app, live_provider)
    yield live_provider
    live_server.app.config.update(saved)


def _at_the_provider(page, login: str) -> None:  # noqa: ANN001
    """The provider's own sign-in page (its development form: any password)."""
    page.get_by_placeholder("Enter any login").fill(login)
    page.get_by_placeholder("and password").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()


def test_an_invited_person_then_a_returning_one(page, live_server, seed, nhs_sign_in) -> None:
    seed(lambda: create_user("pat@example.nhs.uk", "Pat Invited", "a password nobody knows"))
    nhs_sign_in.people = {
        "pat-subject": {"email": "pat@example.nhs.uk", "email_verified": True, "name": "Pat"}
    }
    page.goto(live_server("/login"))
    assert_no_axe_violations(page)
    shot(page, "login_with_sso")
    page.get_by_role("link", name="Sign in with your NHS account").click()
    assert page.url.startswith(nhs_sign_in.issuer)
    _at_the_provider(page, "pat-subject")
    assert page.url.startswith(live_server("/"))
    expect(page.get_by_role("link", name="Pat Invited")).to_be_visible()
    page.get_by_role("link", name="Pat Invited").click()
    expect(page.get_by_text("Linked; last used")).to_be_visible()
    expect(page.get_by_text("with your NHS account")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Sign out").click()  # the header's button posts
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto(live_server("/"))
    assert "/login" in page.url  # the app's session has ended

    # Returning, on a fresh browser: found by their subject alone.
    page.context.clear_cookies()
    page.goto(live_server("/login"))
    page.get_by_role("link", name="Sign in with your NHS account").click()
    _at_the_provider(page, "pat-subject")
    assert page.url.startswith(live_server("/"))
    assert "/login" not in page.url
    expect(page.get_by_role("link", name="Pat Invited")).to_be_visible()


def test_someone_not_invited_sees_who_to_ask(page, live_server, nhs_sign_in) -> None:
    nhs_sign_in.people = {
        "stranger": {"email": "new@example.nhs.uk", "email_verified": True, "name": "New"}
    }
    page.goto(live_server("/login/nhs"))
    _at_the_provider(page, "stranger")
    expect(
        page.get_by_role("heading", name="You cannot sign in with your NHS account")
    ).to_be_visible()
    assert "Ask your site manager" in page.locator("#sso-problem").inner_text()
    assert_no_axe_violations(page)
    shot(page, "sso_problem")
