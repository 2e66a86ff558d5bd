"""The timeline on Riverside's demo data at a phone's width and a laptop's (issue #32): on a
phone what is late and due soon comes first and the phases fold as on the plan, so the page
is a few screens rather than 13,192 px; on a laptop the chart. Axe clean and no sideways
scroll at both; the folds open without JavaScript. On a tablet the chart scrolls within
its own labelled, focusable box."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_pages import _demo

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent.parent.parent / "instance" / "screenshots"
PHONE_HEIGHT_LIMIT = 6000  # px at 390 px wide; 13,192 before the phone's folds


def _sign_in(page, live_server) -> None:  # noqa: ANN001
    from app.demo import DEMO_PASSWORD

    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill("pm@example.nhs.uk")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, "sign-in failed"


def _no_sideways_scroll(page) -> None:  # noqa: ANN001
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


def _height(page) -> int:  # noqa: ANN001
    return page.evaluate("document.documentElement.scrollHeight")


def test_the_timeline_at_a_phones_and_a_laptops_width(page, live_server, seed) -> None:
    ids = seed(_demo)
    _sign_in(page, live_server)
    url = live_server(f"/sites/{ids['site']}/timeline")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = page.get_by_test_id("timeline-phone")
    chart = page.get_by_role("region", name="Timeline chart, phase by phase")
    overflow = "el => el.scrollWidth - el.clientWidth"
    heights = {}
    for width in (390, 768, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Timeline")
        _no_sideways_scroll(page)
        assert_no_axe_violations(page)
        heights[width] = _height(page)
        page.screenshot(path=str(SHOTS / f"timeline-riverside-{width}.png"), full_page=True)
        if width == 390:
            expect(chart).to_be_hidden()
            late = page.get_by_role("heading", name="Late (8)")
            expect(late).to_be_visible()
            assert late.bounding_box()["y"] < 900  # on the first screen
            expect(phone.get_by_role("heading", name="Phase 2: Define and Scope")).to_be_visible()
            # Phase 1 is finished and signed off: one line, its tasks behind it.
            fold = page.locator("#timeline-phase-1 details").first
            expect(fold.locator("li").first).to_be_hidden()
            fold.locator(":scope > summary").click()
            expect(fold.locator("li").first).to_be_visible()
            assert_no_axe_violations(page)  # opened, too
        else:
            expect(chart).to_be_visible()
            expect(phone).to_be_hidden()
            expect(page.get_by_text("Phases as a table")).to_be_visible()
            # A tablet scrolls the chart in its own focusable box (legible text), not the
            # page; a laptop has nothing to scroll.
            assert (chart.evaluate(overflow) > 0) == (width == 768)
    print(f"timeline heights by width: {heights}")  # noqa: T201
    assert heights[390] < PHONE_HEIGHT_LIMIT


def test_the_phones_folds_open_without_javascript(browser, live_server, seed) -> None:
    ids = seed(_demo)
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 390, "height": 900})
        _sign_in(page, live_server)
        page.goto(live_server(f"/sites/{ids['site']}/timeline"))
        expect(page.get_by_role("heading", name="Late (8)")).to_be_visible()
        fold = page.locator("#timeline-phase-3 details").first  # not started yet: folded
        expect(fold.locator("li").first).to_be_hidden()
        fold.locator(":scope > summary").click()
        expect(fold.locator("li").first).to_be_visible()
        _no_sideways_scroll(page)
    finally:
        context.close()
