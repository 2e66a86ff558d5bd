"""Resetting a forgotten password and two-factor sign-in, in Chromium, checked with axe."""

import os
import re
import time

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.service import create_user
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.e2e.conftest import assert_no_axe_violations
from tests.fixtures.notifications import parsed

SHOTS = os.environ.get("SCREENSHOT_DIR")


def shot(page, name: str) -> None:  # noqa: ANN001
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def staff_must_use_two_factor(live_server):  # noqa: ANN001
    saved = live_server.app.config["TWO_FACTOR_ROLES"]
    live_server.app.config["TWO_FACTOR_ROLES"] = "admin,support"
    yield
    live_server.app.config["TWO_FACTOR_ROLES"] = saved


def test_a_forgotten_password_is_reset_from_the_emailed_link(page, live_server, seed) -> None:
    seed(lambda: create_user("sam@example.nhs.uk", "Sam Jones", "an old long password"))
    page.goto(live_server("/login"))
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_no_axe_violations(page)
    page.get_by_label("Email address").fill("sam@example.nhs.uk")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_no_axe_violations(page)

    def link() -> str:
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "password_reset")
        )
        body = parsed(message).get_body(("plain",)).get_content()
        return re.search(r"/password-reset/[A-Za-z0-9_-]+", body).group(0)

    page.goto(live_server(seed(link)))
    assert_no_axe_violations(page)
    shot(page, "reset_choose")
    page.get_by_label("Choose a password").fill("a new long passphrase")
    page.get_by_label("Type it again").fill("a new long passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Email address").fill("sam@example.nhs.uk")
    page.get_by_label("Password").fill("a new long passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def test_staff_set_up_two_factor_then_give_a_code_at_sign_in(
    page, live_server, seed, sign_in_as, staff_must_use_two_factor
) -> None:
    seed(
        lambda: create_user("ali@example.org", "Ali Support", "a long support password", "support")
    )
    sign_in_as("ali@example.org", "a long support password")
    assert "/account/two-factor" in page.url
    assert_no_axe_violations(page)
    shot(page, "two_factor_setup")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_no_axe_violations(page)
    shot(page, "recovery_codes")
    page.get_by_role("link", name="I have saved my codes").click()
    expect(page).not_to_have_url(re.compile(r"/account/two-factor"))

    page.context.clear_cookies()
    sign_in_as("ali@example.org", "a long support password", check=False)
    assert "/account/two-factor/check" in page.url
    assert_no_axe_violations(page)
    shot(page, "two_factor_check")
    totp = pyotp.TOTP(secret)
    # The next step's code: the one used at set-up may not be used again.
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/account/two-factor"))


def test_the_account_page_lists_sessions_and_ends_one(
    page, browser, live_server, seed, sign_in_as
) -> None:  # noqa: ANN001
    seed(lambda: create_user("kim@example.org", "Kim Admin", "a long admin password", "admin"))
    other = browser.new_context()
    other_page = other.new_page()
    other_page.goto(live_server("/login"))
    other_page.get_by_label("Email address").fill("kim@example.org")
    other_page.get_by_label("Password").fill("a long admin password")
    other_page.get_by_role("button", name="Sign in").click()

    sign_in_as("kim@example.org", "a long admin password")
    page.get_by_role("link", name="Kim Admin").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_no_axe_violations(page)
    shot(page, "account")
    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_text("Signed out 1 other session")).to_be_visible()
    other_page.goto(live_server("/"))
    assert "/login" in other_page.url
    other.close()
    page.goto(live_server("/admin/users"))
    assert_no_axe_violations(page)
    shot(page, "users")
