"""The demo's Meadowbank, whose case was agreed two years ago: its delivery page at a
phone's and a laptop's width, axe clean, with each promise's chart and the recovery prompt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_pages import _no_sideways_scroll

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent.parent.parent / "instance" / "screenshots"


def _meadowbank() -> int:
    from app.demo import seed_demo

    return seed_demo().sites["meadowbank"].id


@pytest.mark.parametrize("width", [390, 1366])
def test_the_delivery_page_at_a_phone_and_a_laptop(
    page, live_server, seed, sign_in_as, width: int
) -> None:
    from app.demo import DEMO_PASSWORD

    site_id = seed(_meadowbank)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("champion@example.nhs.uk", DEMO_PASSWORD, check=False)
    page.goto(live_server(f"/sites/{site_id}/delivery"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Is the service delivering its case?")
    expect(page.locator("#delivery-summary")).to_be_visible()
    expect(page.locator("svg.delivery-chart").first).to_be_visible()
    expect(page.get_by_text("Missed two quarters running").first).to_be_visible()
    _no_sideways_scroll(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"delivery-{width}.png"), full_page=True)
    assert_no_axe_violations(page)

    # The recovery plan: the gap filled in, an owner to choose, axe clean; a missing owner
    # is refused next to the field and the action typed is kept.
    page.locator("[id^=raise-recovery-]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a recovery plan")
    expect(page.locator("#recovery-gap")).to_contain_text("patients short in all")
    page.get_by_label("What the team will do to recover").fill("A second nurse searches lists.")
    page.get_by_role("button", name="Confirm and add to the RAID log").click()
    page.wait_for_load_state()  # the header folds its entries into "More" once loaded
    expect(page.get_by_text("Choose who owns the recovery plan.").first).to_be_visible()
    expect(page.get_by_label("What the team will do to recover")).to_have_value(
        "A second nurse searches lists."
    )
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"delivery-recovery-{width}.png"), full_page=True)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_portfolio_counts_sites_by_how_much_of_their_case_they_deliver(
    page, live_server, seed, sign_in_as, width: int
) -> None:
    from app.demo import DEMO_PASSWORD

    seed(_meadowbank)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("support@example.org.uk", DEMO_PASSWORD, check=False)
    page.goto(live_server("/portfolio?view=all&delivering=short"))
    expect(page.locator("#delivery-bands")).to_be_visible()
    sites = page.get_by_role("region", name="Sites")  # the table, not the attention list
    expect(sites.get_by_role("link", name="Meadowbank FLS", exact=True)).to_be_visible()
    expect(page.get_by_label("Delivering its case")).to_have_value("short")
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"delivery-portfolio-{width}.png"), full_page=True)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_steering_group_agrees_a_recovery_plan(
    page, live_server, seed, sign_in_as, width: int
) -> None:
    """Raised from the page, the plan waits for a held steering-group meeting's agreement;
    recorded, it shows on the RAID entry and on the delivery page. Axe clean throughout."""
    from app.demo import DEMO_PASSWORD

    site_id = seed(_meadowbank)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("champion@example.nhs.uk", DEMO_PASSWORD, check=False)
    page.goto(live_server(f"/sites/{site_id}/delivery"))
    page.locator("[id^=raise-recovery-]").first.click()
    page.get_by_label("Owner").select_option(index=1)
    page.get_by_label("What the team will do to recover").fill("A second nurse searches lists.")
    page.get_by_role("button", name="Confirm and add to the RAID log").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recovery plan:")

    page.goto(live_server(f"/sites/{site_id}/delivery"))
    expect(page.locator("[id^=recovery-unagreed-]").first).to_be_visible()
    page.locator("[id^=agree-recovery-]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record the steering group's agreement"
    )
    meeting = page.get_by_label("Steering group meeting that agreed the plan")
    page.wait_for_load_state()
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Record the agreement").click()
    page.wait_for_load_state()  # the header folds its entries into "More" once loaded
    expect(
        page.get_by_text("Choose the steering group meeting that agreed the plan.").first
    ).to_be_visible()
    expect(meeting).to_have_attribute("aria-describedby", re.compile("error"))
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"delivery-agreement-{width}.png"), full_page=True)
    assert_no_axe_violations(page)

    meeting.select_option(index=1)
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_text("Agreed by the steering group at", exact=True)).to_be_visible()
    page.wait_for_load_state()
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)
    page.goto(live_server(f"/sites/{site_id}/delivery"))
    expect(page.locator("[id^=recovery-agreed-]").first).to_contain_text(
        "The steering group agreed it at FLS steering group"
    )

    # The agreed plan changed afterwards: the editor is warned, then the entry and the
    # delivery page say it changed since it was agreed and needs agreeing again.
    page.locator("[id^=recovery-agreed-]").first.locator("xpath=..").get_by_role(
        "link", name=re.compile("issue #")
    ).click()
    page.get_by_role("link", name="Change this issue").click()
    expect(page.locator("#agreed-plan-warning")).to_be_visible()
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)
    page.get_by_label("Action being taken").fill("Search the lists monthly instead.")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator("#agreement-changed")).to_contain_text("after the steering group agreed it")
    page.wait_for_load_state()
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"delivery-plan-changed-entry-{width}.png"), full_page=True)
    assert_no_axe_violations(page)
    page.goto(live_server(f"/sites/{site_id}/delivery"))
    expect(page.locator("[id^=recovery-changed-]").first).to_contain_text(
        "until the steering group agrees it again"
    )
    expect(page.locator("[id^=agree-recovery-]").first).to_be_visible()
    page.locator("[id^=recovery-changed-]").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"delivery-plan-changed-{width}.png"))
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_highlight_report_page_draws_the_delivery_charts(
    page, live_server, seed, sign_in_as, width: int, tmp_path: Path
) -> None:
    """Meadowbank's highlight report page: each measured promise's run chart, the delivery
    page's own, fits a phone's and a laptop's width, is named for a screen reader, passes
    axe, and prints within the page at a legible size."""
    from app.demo import DEMO_PASSWORD

    site_id = seed(_meadowbank)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("champion@example.nhs.uk", DEMO_PASSWORD, check=False)
    page.goto(live_server(f"/sites/{site_id}/documents/steering-report"))
    charts = page.locator("#report-delivery-charts svg.delivery-chart")
    expect(charts.first).to_be_visible()
    count = charts.count()
    assert count >= 2
    for index in range(count):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("role", "img")
        expect(chart).to_have_accessible_name(re.compile("patients each quarter against"))
        box = chart.bounding_box()
        assert box is not None and box["width"] <= width and box["height"] >= 100
    page.locator("#report-delivery-charts").scroll_into_view_if_needed()
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"report-delivery-{width}.png"), full_page=True)
    assert_no_axe_violations(page)

    # On paper each chart keeps its drawn size (not squeezed to the KPI sparklines' height)
    # and stays whole on one page.
    page.emulate_media(media="print")
    sizes = [charts.nth(i).bounding_box() for i in range(count)]
    assert all(300 < box["width"] < 700 and box["height"] > 100 for box in sizes), sizes
    page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
