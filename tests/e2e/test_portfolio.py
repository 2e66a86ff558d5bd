"""Charity support staff filter the portfolio to red sites in one region, open one, come
back with the filter kept, and add a site to the sites they support."""

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
    assert _site_names(page) == ["Dales FLS", "Meadowbank FLS", "Riverside FLS"]
    assert_no_axe_violations(page)

    page.get_by_label("Region", exact=True).select_option("London")
    page.get_by_label("Overall status", exact=True).select_option("red")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#row-count")).to_have_text("Showing 1 of 3 sites.")
    assert _site_names(page) == ["Riverside FLS"]
    assert "region=London" in page.url and "rag=red" in page.url
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Riverside FLS").click()
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
    page.wait_for_url("**dir=desc**")  # the sorted page has loaded before its rows are read
    assert _site_names(page) == ["Riverside FLS", "Meadowbank FLS", "Dales FLS"]


def test_site_members_without_a_global_role_are_refused(
    page, live_server, seed, sign_in_as
) -> None:
    seed(_world)
    sign_in_as("pm@example.nhs.uk")
    response = page.goto(live_server("/portfolio"))
    assert response.status == 403
