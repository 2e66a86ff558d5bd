"""The site navigation at a laptop's width (1366 px): every section on one line, none folded
under "More", and axe clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.sites.nav import SITE_NAV
from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_pages import _world

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent.parent.parent / "instance" / "screenshots"


@pytest.mark.parametrize("path", ["/", "/business-case", "/documents"])
def test_every_section_fits_at_1366_px(page, live_server, seed, sign_in_as, path: str) -> None:
    site_id = seed(_world)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}{path}"))
    nav = page.get_by_role("navigation", name="Site sections")
    expect(nav).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"site-nav{path.replace('/', '-')}-1366.png"))
    # The NHS.UK header's script moves entries that do not fit into a "More" menu.
    expect(nav.get_by_role("button", name="More")).to_be_hidden()
    for label, _endpoint in SITE_NAV:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    assert_no_axe_violations(page)
