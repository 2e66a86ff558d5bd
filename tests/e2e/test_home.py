"""The manager's home in the browser at desktop and phone widths: late work at her sites,
the next meetings, each site's RAG; axe-clean and no sideways scroll (#32 item 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.accounts.service import create_user
from app.core.dates import today, utcnow
from app.extensions import db
from app.meetings.models import Action
from app.plan.models import Task
from app.risks.models import RaidEntry
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations
from tests.fixtures.meetings import create_meeting, create_person


def _world() -> None:
    manager = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=manager.id, role="manager"))
    ola = create_person(site, "Ola Owner")
    past = today() - timedelta(days=5)
    db.session.add(Task(site_id=site.id, phase=1, title="Agree the data sharing arrangement",
                        status="in_progress", owner_id=ola.id, due_date=past))  # fmt: skip
    db.session.add(Action(site_id=site.id, description="Send the audit figures",
                          owner_id=ola.id, due_date=past))  # fmt: skip
    db.session.add(RaidEntry(site_id=site.id, kind="risk", title="Radiology capacity",
                             review_on=past, owner_id=ola.id))  # fmt: skip
    create_meeting(site, starts=utcnow() + timedelta(days=6), title="Steering group")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_managers_home(page, live_server, seed, sign_in_as, width: int) -> None:
    seed(_world)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server("/"))
    late = page.locator("section", has=page.locator("#late-heading"))
    expect(late.get_by_role("link", name="Agree the data sharing arrangement")).to_be_visible()
    expect(late.get_by_role("link", name="Radiology capacity")).to_be_visible()
    expect(page.get_by_role("link", name="Steering group")).to_be_visible()
    assert_no_axe_violations(page)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{wide}px wide at {width}px"
    page.screenshot(path=f"/tmp/h9-home-{width}.png", full_page=True)
