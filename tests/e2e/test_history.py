"""The site history in the browser: changes in words, and the 'since the last steering group'
filter. axe on each page."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.core.dates import utcnow
from app.extensions import db
from app.gateways.models import Gateway
from app.meetings.models import Meeting
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations


def _world() -> dict:
    manager = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=manager.id, role="manager"))
    starts = utcnow() - timedelta(days=7)
    db.session.add(
        Meeting(
            site_id=site.id,
            kind="steering_group",
            title="Steering group",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
    )
    gateway = Gateway(site_id=site.id, phase=1, status="not_ready")
    db.session.add(gateway)
    db.session.flush()
    gateway.status = "review_requested"
    db.session.flush()
    return {"site": site.id}


def test_history_reads_in_words_and_filters_since_the_steering_group(
    page, live_server, seed, sign_in_as
) -> None:
    site = seed(_world)["site"]
    sign_in_as("pm@example.nhs.uk")
    page.goto(live_server(f"/sites/{site}/history"))
    table = page.get_by_role("table", name="Changes, newest first")
    expect(table).to_contain_text("Status: Not ready → Review requested")
    expect(table).to_contain_text("Gateway: Phase 1: Start Out")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Since the last steering group").click()
    expect(page.get_by_text("Since the last steering group (")).to_be_visible()
    expect(page.get_by_role("table", name="Changes, newest first")).to_contain_text(
        "Review requested"
    )
    assert_no_axe_violations(page)
