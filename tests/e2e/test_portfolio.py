"""Charity support staff filter the portfolio to red sites in one region, open one, come
back with the filter kept, and add a site to the sites they support."""

import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.accounts.service import create_user
from app.core.dates import today
from app.extensions import db
from app.plan.models import Task
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations

pytestmark = pytest.mark.e2e


def _world() -> dict:
    create_user("support@example.org.uk", "Sam Patel", PASSWORD, "support")
    member = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    sites = {}
    for name, region, late in [
        ("Riverside FLS", "London", True),
        ("Meadowbank FLS", "London", False),
        ("Dales FLS", "North West", True),
    ]:
        site = create_site(SiteDetails(name=name, organisation=f"{name} Trust", region=region))
        due = today() - timedelta(days=40) if late else today() + timedelta(days=60)
        db.session.add(
            Task(site_id=site.id, phase=1, title="Agree the team", due_date=due, essential=True)
        )
        sites[name] = site
    db.session.add(Membership(site_id=sites["Dales FLS"].id, user_id=member.id, role="manager"))
    db.session.flush()
    return {name: site.id for name, site in sites.items()}


def _site_names(page) -> list[str]:  # noqa: ANN001
    return page.locator("table.app-portfolio-table tbody tr td:first-child a").all_inner_texts()


def test_filter_open_a_site_and_come_back(page, live_server, seed, sign_in_as) -> None:
    ids = seed(_world)
    sign_in_as("support@example.org.uk")
    expect(page.get_by_role("heading", name="Portfolio summary")).to_be_visible()
    assert_no_axe_violations(page)  # the home page with the summary
    page.get_by_role("link", name="Open the full portfolio").click()
    expect(page.get_by_role("heading", level=1, name="Portfolio")).to_be_visible()
    # Worst overall status first (two red sites of equal need, by name), then the green one.
    assert _site_names(page) == ["Dales FLS", "Riverside FLS", "Meadowbank FLS"]
    assert_no_axe_violations(page)

    page.get_by_label("Region", exact=True).select_option("London")
    page.get_by_label("Overall status", exact=True).select_option("red")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#row-count")).to_have_text("Showing 1 of 3 sites.")
    assert _site_names(page) == ["Riverside FLS"]
    assert "region=London" in page.url and "rag=red" in page.url
    assert_no_axe_violations(page)

    page.get_by_role("region", name="Sites").get_by_role("link", name="Riverside FLS").click()
    expect(page.get_by_role("heading", level=1, name="Riverside FLS")).to_be_visible()
    assert page.url.endswith(f"/sites/{ids['Riverside FLS']}/")
    page.get_by_role("link", name="Back to the portfolio").click()
    expect(page.locator("#row-count")).to_have_text("Showing 1 of 3 sites.")
    assert _site_names(page) == ["Riverside FLS"]
    expect(page.get_by_label("Region", exact=True)).to_have_value("London")
    expect(page.get_by_label("Overall status", exact=True)).to_have_value("red")

    # Support it: the default view becomes "Sites I support".
    page.get_by_role("button", name="Support Riverside FLS").click()
    expect(page.get_by_role("button", name="Stop supporting Riverside FLS")).to_be_visible()
    page.goto(live_server("/portfolio"))
    expect(page.get_by_text("Sites I support (1)")).to_be_visible()
    assert _site_names(page) == ["Riverside FLS"]
    assert_no_axe_violations(page)

    # Sorting by a column heading, without JavaScript state: it is in the URL.
    page.get_by_role("link", name="All sites").click()
    expect(page.locator("#row-count")).to_have_text("Showing 3 of 3 sites.")
    page.get_by_role("link", name="Site", exact=True).click()
    page.wait_for_url("**sort=name**")  # the sorted page has loaded before its rows are read
    assert _site_names(page) == ["Dales FLS", "Meadowbank FLS", "Riverside FLS"]
    page.get_by_role("link", name="Site", exact=True).click()
    page.wait_for_url("**dir=desc**")
    assert _site_names(page) == ["Riverside FLS", "Meadowbank FLS", "Dales FLS"]


def test_site_members_without_a_global_role_are_refused(
    page, live_server, seed, sign_in_as
) -> None:
    seed(_world)
    sign_in_as("pm@example.nhs.uk")
    response = page.goto(live_server("/portfolio"))
    assert response.status == 403


SCREENSHOTS = os.environ.get("PORTFOLIO_SCREENSHOTS")  # a folder: keep a picture per width


def _page_width(page) -> int:  # noqa: ANN001
    return page.evaluate("() => document.documentElement.scrollWidth")


def _bench_world() -> None:
    from app.demo import seed_bench

    create_user("support@example.org.uk", "Sam Patel", PASSWORD, "support")
    seed_bench(60, 3)


@pytest.mark.parametrize("width", [390, 768, 1024, 1366])
def test_a_page_of_sites_fits_the_width_and_passes_axe(
    page, live_server, seed, sign_in_as, width
) -> None:
    seed(_bench_world)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("support@example.org.uk", check=False)
    page.goto(live_server("/portfolio?view=all"))
    expect(page.locator("#row-count")).to_have_text("Showing 1 to 50 of 60 sites, page 1 of 2.")
    assert page.locator("table.app-portfolio-table tbody tr").count() == 50
    assert _page_width(page) <= width, "the page scrolls sideways"
    # The table fits inside its box too: no scrolling region hides columns.
    wrap = page.locator(".app-portfolio-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table scrolls sideways"
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/portfolio-{width}.png", full_page=False)
        page.locator("#row-count").scroll_into_view_if_needed()
        page.screenshot(path=f"{SCREENSHOTS}/portfolio-{width}-table.png", full_page=False)
    if width in (390, 1366):
        assert_no_axe_violations(page)
    if width < 990:  # cards, and the order chosen from a form instead of the headings
        page.get_by_label("Sort by").select_option("risks")
        page.get_by_role("button", name="Sort", exact=True).click()
        page.wait_for_url("**sort=risks**")
        expect(page.locator("#row-count")).to_have_text("Showing 1 to 50 of 60 sites, page 1 of 2.")
    else:
        expect(page.get_by_label("Sort by")).to_be_hidden()


def test_sorting_and_paging_work_without_javascript(browser, live_server, seed) -> None:
    seed(_bench_world)
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(live_server("/login"))
        page.get_by_label("Email address").fill("support@example.org.uk")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(live_server("/portfolio?view=all"))
        header = page.locator("th", has=page.get_by_role("link", name="Schedule", exact=True))
        expect(header).to_have_attribute("aria-sort", "none")
        page.get_by_role("link", name="Schedule", exact=True).click()
        page.wait_for_url("**sort=schedule**")
        expect(header).to_have_attribute("aria-sort", "ascending")
        statuses = page.locator("td[data-dimension=schedule]").evaluate_all(
            "cells => cells.map(c => c.dataset.status)"
        )
        order = ["red", "amber", "green", "complete", "none"]
        assert statuses == sorted(statuses, key=order.index)

        page.locator("a[rel=next]").click()
        page.wait_for_url("**page=2**")
        expect(page.locator("#row-count")).to_have_text(
            "Showing 51 to 60 of 60 sites, page 2 of 2."
        )
        assert "sort=schedule" in page.url  # the order is kept from page to page
        expect(header).to_have_attribute("aria-sort", "ascending")
        assert page.locator("table.app-portfolio-table tbody tr").count() == 10
    finally:
        context.close()
