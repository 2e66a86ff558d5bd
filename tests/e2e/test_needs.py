"""A project manager enters a site's numbers, sees the results, adds a scenario."""

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.extensions import db
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.e2e.conftest import assert_no_axe_violations


def _world() -> int:
    manager = create_user("pm@example.nhs.uk", "Priya Shah", "correct horse battery")
    site = create_site(
        SiteDetails(
            name="Riverside FLS", organisation="Riverside NHS Trust", population_50_plus=150_000
        )  # fmt: skip
    )
    db.session.add(Membership(site_id=site.id, user_id=manager.id, role="manager"))
    db.session.flush()
    return site.id


def test_enter_numbers_see_results_and_a_scenario(page, live_server, seed, sign_in_as) -> None:
    site_id = seed(_world)
    sign_in_as("pm@example.nhs.uk")
    page.goto(live_server(f"/sites/{site_id}/"))
    expect(page.get_by_text("No needs figures yet")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Enter the population and admissions").click()
    expect(page.get_by_role("heading", level=1, name="Needs and benefits")).to_be_visible()
    assert_no_axe_violations(page)

    # A mistake first: a rate over 100% is refused next to the field, nothing saved.
    page.get_by_label("Population aged 50 and over", exact=True).fill("184,000")
    page.get_by_label("Hip: admissions a year", exact=True).fill("400")
    page.get_by_label("Hip: average stay (days)", exact=True).fill("20")
    page.get_by_label("Hip: cost per bed day (£)", exact=True).fill("400")
    page.get_by_label("Patients assessed (% of expected caseload)").fill("40")
    page.get_by_label("Recommended bone therapy (% of those assessed)").fill("140")
    page.get_by_label("Followed up (% of those recommended therapy)").fill("20")
    page.get_by_label("Specialist nurse (WTE)").fill("1.5")
    page.get_by_role("button", name="Save figures").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter a percentage from 0 to 100.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Recommended bone therapy (% of those assessed)").fill("45")
    page.get_by_role("button", name="Save figures").click()
    expect(page.get_by_text("Needs figures saved.")).to_be_visible()
    results = page.locator("#results")
    caseload_row = results.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Expected fragility fracture caseload a year")
    )
    expect(caseload_row.locator("td").first).to_have_text("2,000")
    expect(results.get_by_text("4.0 WTE to 4.6 WTE")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Scenarios", exact=True).first.click()
    page.get_by_label("Option 1: name").fill("Nurse-led, 1.5 WTE")
    page.get_by_label("Option 1: Identification rate (% of expected caseload)").fill("45")
    page.get_by_label("Option 1: Treatment rate (% of those assessed)").fill("50")
    page.get_by_label("Option 1: Follow-up rate (% of those recommended therapy)").fill("60")
    page.get_by_label("Option 1: Nurses (WTE)").fill("1.5")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save scenarios").click()
    expect(page.get_by_text("Scenarios saved.")).to_be_visible()
    expect(page.get_by_role("row", name="Nurse-led, 1.5 WTE").first).to_be_visible()
    assert page.locator("#needs-chart-title").text_content().startswith("Fractures")

    page.get_by_role("link", name="How the figures are worked out").click()
    assert page.locator("#published-hip").text_content().strip() == "1,482"
    assert_no_axe_violations(page)
    page.goto(live_server(f"/sites/{site_id}/needs/assumptions"))
    assert_no_axe_violations(page)
    page.goto(live_server(f"/sites/{site_id}/"))
    # the overview states the documents' figures, with their horizon (not the needs model's)
    expect(page.locator("#overview-prevented")).to_contain_text("among each year's patients over")
