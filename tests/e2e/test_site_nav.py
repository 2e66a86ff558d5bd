"""The site navigation: every section on one line at a laptop's width (1366 px), none
folded under "More", each page's own section marked; at a phone's width (390 px) the
sections that do not fit are in the "More" menu, Delivery among them, with no sideways
scroll. Axe clean at both."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.sites.nav import SITE_NAV
from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_pages import _no_sideways_scroll, _world

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent.parent.parent / "instance" / "screenshots"


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", "Overview"),
        ("/business-case", "Business case"),
        ("/needs", "Business case"),  # the needs assessment the business case is built on
        ("/delivery", "Delivery"),
        ("/documents", "Documents"),
    ],
)
def test_every_section_fits_at_1366_px(
    page, live_server, seed, sign_in_as, path: str, section: str
) -> None:
    site_id = seed(_world)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}{path}"))
    page.wait_for_load_state()  # the header folds entries that do not fit once loaded
    nav = page.get_by_role("navigation", name="Site sections")
    expect(nav).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"site-nav{path.replace('/', '-')}-1366.png"))
    # The NHS.UK header's script moves entries that do not fit into a "More" menu.
    expect(nav.get_by_role("button", name="More")).to_be_hidden()
    for label, _endpoint in SITE_NAV:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name=section, exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/", "/delivery"])
def test_delivery_is_in_the_menu_at_390_px(page, live_server, seed, sign_in_as, path: str) -> None:
    site_id = seed(_world)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}{path}"))
    page.wait_for_load_state()
    nav = page.get_by_role("navigation", name="Site sections")
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)
    nav.get_by_role("button", name="More").click()
    delivery = nav.get_by_role("link", name="Delivery", exact=True)
    expect(delivery).to_be_visible()
    _no_sideways_scroll(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"site-nav{path.replace('/', '-')}-390.png"))
    assert_no_axe_violations(page)
    delivery.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Is the service delivering its case?")
