"""In the browser: the sponsor's home starts with the review waiting for them; the email
pages (choices, unsubscribe, a site's settings, the admin outbox) pass axe."""

from __future__ import annotations

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.extensions import db
from app.gateways import service as gateways
from app.notifications.tokens import unsubscribe_token
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations
from tests.fixtures.gateways import every_reason


def _world() -> dict:
    manager = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    sponsor = create_user("sponsor@example.nhs.uk", "Helen Brooks", PASSWORD)
    create_user("admin@example.nhs.uk", "Ada Admin", PASSWORD, "admin")
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=manager.id, role="manager"))
    db.session.add(Membership(site_id=site.id, user_id=sponsor.id, role="viewer", is_sponsor=True))
    db.session.flush()
    gateways.request_review(site, 1, manager, every_reason(site, 1))
    return {"site": site.id, "token": unsubscribe_token("digest", user_id=sponsor.id)}


def test_the_sponsor_sees_the_waiting_review_first(page, live_server, seed, sign_in_as) -> None:
    ids = seed(_world)
    sign_in_as("sponsor@example.nhs.uk")
    page.goto(live_server("/"))
    first_section = page.locator("main h2").first
    expect(first_section).to_have_text("Waiting for you")
    review = page.get_by_role("link", name="Phase 1: Start Out gateway")
    expect(review).to_be_visible()
    assert_no_axe_violations(page)
    review.click()
    expect(page).to_have_url(live_server(f"/sites/{ids['site']}/gateways/1"))

    page.goto(live_server("/account/email"))
    assert_no_axe_violations(page)
    page.get_by_label("One weekly summary (Mondays)").check()
    page.get_by_role("button", name="Save your choices").click()
    expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
    page.goto(live_server(f"/sites/{ids['site']}/mail"))
    assert_no_axe_violations(page)

    page.context.clear_cookies()  # an unsubscribe link works without signing in
    page.goto(live_server(f"/unsubscribe/{ids['token']}"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_admin_outbox(page, live_server, seed, sign_in_as) -> None:
    seed(_world)
    sign_in_as("admin@example.nhs.uk", check=False)
    page.goto(live_server("/admin/mail"))
    expect(page.get_by_role("heading", name="Email outbox")).to_be_visible()
    assert_no_axe_violations(page)
