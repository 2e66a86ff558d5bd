"""A project manager fills the costs (a slip first), sees the chart, adds an option and
downloads the business case and the service specification. axe on every page."""

import docx
from playwright.sync_api import expect

from app.accounts.service import create_user
from app.extensions import db
from app.needs.model import Admissions, NeedsInputs
from app.needs.service import NeedsState, save
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.e2e.conftest import assert_no_axe_violations


def _world() -> int:
    manager = create_user("pm@example.nhs.uk", "Priya Shah", "correct horse battery")
    site = create_site(
        SiteDetails(
            name="Riverside FLS", organisation="Riverside NHS Trust", population_50_plus=200_000
        )
    )
    db.session.add(Membership(site_id=site.id, user_id=manager.id, role="manager"))
    inputs = NeedsInputs(
        population_total=200_000,
        admissions={"hip": Admissions(600, 20, 400)},
        rates={"assessment": 20, "treatment": 40, "followup": 10},
        staffing={"nurse": 1.0, "admin": 0.5},
    )
    save(site, NeedsState(None, inputs, {}, []), None, "Test figures")
    db.session.flush()
    return site.id


def test_fill_costs_see_chart_and_download_both_documents(
    page, live_server, seed, sign_in_as
) -> None:
    site_id = seed(_world)
    sign_in_as("pm@example.nhs.uk")
    page.goto(live_server(f"/sites/{site_id}/business-case"))
    expect(page.get_by_role("heading", level=1, name="Business case")).to_be_visible()
    expect(page.locator("#tornado-title")).to_have_text("What moves the answer most")
    expect(page.locator("#ceac-title")).to_have_text("Chance the service is cost-effective")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Costs", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Costs")).to_be_visible()
    assert_no_axe_violations(page)
    # A slip: a nurse at £5 a year is refused next to the field, and nothing is saved.
    page.get_by_label("Value to use for Specialist nurse salary").fill("5")
    page.get_by_label("Reason for changing Specialist nurse salary").fill("Trust finance 2026")
    page.get_by_role("button", name="Save costs").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="looks like a typing slip")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Value to use for Specialist nurse salary").fill("£52,000")
    page.get_by_label("Value to use for Social care cost of a hip fracture").fill("9000")
    page.get_by_label("Reason for changing Social care cost of a hip fracture").fill(
        "Council figure 2025"
    )
    page.get_by_role("button", name="Save costs").click()
    expect(page.get_by_text("Costs saved.")).to_be_visible()
    expect(page.get_by_role("img", name="Chance the service is cost-effective")).to_be_visible()
    expect(page.get_by_role("region", name="Budget impact by year")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Options", exact=True).click()
    page.get_by_label("Name of your option").fill("Nurse-led, two nurses")
    page.get_by_label("Identification rate (% of expected caseload)").fill("60")
    page.get_by_label("Treatment rate (% of those assessed)").fill("50")
    page.get_by_label("Follow-up rate (% of those recommended treatment)").fill("80")
    page.get_by_label("Specialist nurses (WTE)").fill("2")
    page.get_by_label("The site's own option").check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save options").click()
    expect(page.get_by_text("Options saved.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="The recommended option: Nurse-led, two nurses")
    ).to_be_visible()

    for tail in ("route", "decision", "specification"):
        page.goto(live_server(f"/sites/{site_id}/business-case/{tail}"))
        assert_no_axe_violations(page)
    page.goto(live_server(f"/sites/{site_id}/business-case"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download business-case.docx").click()
    document = docx.Document(str(download_info.value.path()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "2. The economic case" in headings
    assert "Nurse-led, two nurses (recommended)" in [
        row.cells[0].text for table in document.tables for row in table.rows
    ]
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download service-specification.docx").click()
    spec = docx.Document(str(download_info.value.path()))
    assert "3. Scope" in [p.text for p in spec.paragraphs]


def test_business_case_fits_a_phone_without_sideways_scroll(
    page, live_server, seed, sign_in_as
) -> None:
    site_id = seed(_world)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}/business-case"))
    expect(page.get_by_role("heading", name="Options appraisal")).to_be_visible()
    # The wide tables scroll inside their own box; the page itself must not scroll sideways.
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the business case scrolls sideways: {widths}"
