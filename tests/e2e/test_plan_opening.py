"""The plan in the browser at a phone's width and a laptop's (issue #32 item 5): it opens on
the current phase, finished phases folded behind one line that opens them, the filters
behind one control on a phone and shown on a laptop; axe clean, no sideways scroll, and the
same without JavaScript."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from app.accounts.service import create_user
from app.core.dates import today
from app.extensions import db
from app.gateways.models import Gateway, GatewayDecision
from app.plan.models import Task
from app.plan.service import create_plan
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations

pytestmark = pytest.mark.e2e


def _world() -> dict:
    """The toolkit's full plan, started eight months ago, Start Out done and signed off."""
    editor = create_user("editor@example.nhs.uk", "Erin Editor", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=editor.id, role="editor"))
    create_plan(site, "new", today() - timedelta(days=240))
    db.session.execute(
        update(Task).where(Task.site_id == site.id, Task.phase == 1).values(status="complete")
    )
    db.session.add(Gateway(site_id=site.id, phase=1, status="signed_off"))
    db.session.add(
        GatewayDecision(
            site_id=site.id,
            phase=1,
            action="signed_off",
            at=datetime(2026, 3, 3, 11, 0),
            snapshot=[],
        )
    )
    db.session.flush()
    first = db.session.scalar(
        select(Task.id).where(Task.site_id == site.id, Task.phase == 1).order_by(Task.position)
    )
    return {"site": site.id, "first_done": first}


def _no_sideways_scroll(page) -> None:  # noqa: ANN001
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


@pytest.mark.parametrize("width", [390, 1366])
def test_the_plan_opens_on_the_current_phase(
    page, live_server, seed, sign_in_as, width: int
) -> None:
    ids = seed(_world)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("editor@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{ids['site']}/plan"))
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)
    expect(page.get_by_role("status")).to_contain_text("Phase 2: Define and Scope is the current")
    current = page.locator("#phase-2")
    expect(current).to_have_attribute("data-phase-open", "true")
    # The current phase is near the top, not after the finished phase's cards: before this
    # change it started 5,000 px down the phone and 2,000 px down the laptop.
    assert current.bounding_box()["y"] < (1300 if width == 390 else 1100)

    # The finished phase is one line; it opens onto its rows.
    done_row = page.locator(f"#task-{ids['first_done']}")
    fold = page.locator("#phase-1-summary")
    expect(fold).to_contain_text("13 of 13 done, signed off 3 Mar 2026")
    expect(done_row).to_be_hidden()
    fold.click()
    expect(done_row).to_be_visible()

    words = page.get_by_label("Words")
    if width == 390:  # one control on a phone
        expect(words).to_be_hidden()
        page.locator(".app-plan-filters summary").click()
    else:  # shown on a laptop, no control to press
        expect(page.locator(".app-plan-filters summary")).to_be_hidden()
    expect(words).to_be_visible()
    words.fill("stakeholder")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**q=stakeholder**")
    expect(words).to_be_visible()  # a filter is set: the filters stay open
    expect(page.locator(".app-phase-fold")).to_have_count(0)  # every match listed
    expect(page.locator("section[data-phase-open='false']")).to_have_count(0)
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)


def test_the_folds_and_filters_work_without_javascript(browser, live_server, seed) -> None:  # noqa: ANN001
    ids = seed(_world)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill("editor@example.nhs.uk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server(f"/sites/{ids['site']}/plan"))
    page.locator(".app-plan-filters summary").click()
    page.get_by_label("Overdue").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**overdue=1**")
    expect(page.locator("section[data-phase-open='false']")).to_have_count(0)
    # Edit without JavaScript: the row becomes a form in its open phase.
    page.goto(live_server(f"/sites/{ids['site']}/plan?edit={ids['first_done']}"))
    section = page.locator("#phase-1")
    expect(section).to_have_attribute("data-phase-open", "true")
    expect(section.get_by_label("Status")).to_be_visible()
    context.close()


def test_a_task_in_a_folded_phase_is_edited_in_place(page, live_server, seed, sign_in_as) -> None:
    """htmx's inline edit inside a fold: the phase comes back open, the row saved in place."""
    ids = seed(_world)
    sign_in_as("editor@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{ids['site']}/plan"))
    page.locator("#phase-1-summary").click()
    row = page.locator(f"#task-{ids['first_done']}")
    row.get_by_role("link", name="Edit").click()
    expect(row.get_by_label("Status")).to_be_focused()
    assert "edit=" not in page.url  # swapped in place, no page load
    row.get_by_label("Status").select_option("in_progress")
    row.get_by_role("button", name="Save").click()
    expect(page.locator("#phase-1")).to_have_attribute("data-phase-open", "true")
    expect(row.locator("td[data-label='Status']")).to_have_text("In progress")
    expect(page.locator("#phase-1-summary")).to_contain_text("12 of 13 done")
    assert_no_axe_violations(page)
