"""A project manager adds a risk, scores it, adds a mitigation and sees the heat map move."""

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.extensions import db
from app.people.models import Person
from app.plan.models import Task
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations


def _world() -> int:
    user = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=user.id, role="manager"))
    db.session.add(Person(site_id=site.id, name="Helen Brooks", job_title="Project sponsor"))
    db.session.add(Task(site_id=site.id, phase=4, title="Write the business case"))
    db.session.flush()
    return site.id


def _cell(page, likelihood: int, impact: int) -> str:  # noqa: ANN001
    return page.locator(f'#heat-map g[data-cell="{likelihood}-{impact}"]').get_attribute(
        "data-count"
    )


def test_add_score_mitigate_and_watch_the_heat_map(page, live_server, seed, sign_in_as) -> None:
    site_id = seed(_world)
    sign_in_as("pm@example.nhs.uk")
    page.goto(live_server(f"/sites/{site_id}/risks"))
    expect(page.get_by_role("heading", level=1, name="Risks, issues and decisions")).to_be_visible()
    expect(page.get_by_text("The log is empty")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Add a risk").click()
    assert_no_axe_violations(page)
    page.get_by_label("Title").fill("No recurrent funding agreed")
    page.get_by_label("Likelihood before mitigation").select_option("4")
    page.get_by_role("button", name="Save risk").click()  # impact missing: explained, not saved
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.get_by_label("Title").input_value() == "No recurrent funding agreed"
    assert_no_axe_violations(page)
    page.get_by_label("Impact before mitigation").select_option("5")
    page.get_by_label("Owner").select_option(label="Helen Brooks")
    page.get_by_label("Next review").fill("1/3/2030")
    page.get_by_role("button", name="Save risk").click()
    expect(page.get_by_role("heading", level=1, name="No recurrent funding agreed")).to_be_visible()
    expect(page.get_by_text("Very high (score 20 of 25)").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Back to the log").click()
    assert _cell(page, 4, 5) == "1"
    assert_no_axe_violations(page)

    page.get_by_role("link", name="No recurrent funding agreed").click()
    page.get_by_label("Action", exact=True).fill("Take the business case to the ICB board")
    page.get_by_label("Linked plan task").select_option(label="Write the business case")
    page.get_by_label("Likelihood after mitigation").select_option("2")
    page.get_by_label("Impact after mitigation").select_option("3")
    page.get_by_role("button", name="Add action").click()
    action = "Take the business case to the ICB board"
    expect(page.get_by_role("cell", name=action, exact=True)).to_be_visible()
    expect(page.get_by_text("Medium (score 6 of 25)").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Back to the log").click()
    assert _cell(page, 4, 5) == "0"
    assert _cell(page, 2, 3) == "1"
    page.get_by_text("Show the heat map as a table").click()
    assert page.locator('#heat-table td[data-cell="2-3"]').inner_text() == "1 (Medium)"

    page.get_by_label("Band").select_option("medium")
    page.get_by_role("button", name="Filter").click()
    assert "band=medium" in page.url
    expect(page.locator("#raid-log").get_by_text("No recurrent funding agreed")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server(f"/sites/{site_id}/"))
    expect(page.get_by_role("heading", name="Risks")).to_be_visible()
    assert_no_axe_violations(page)


def test_starters_decision_and_help(page, live_server, seed, sign_in_as) -> None:
    site_id = seed(_world)
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}/risks/starters"))
    assert_no_axe_violations(page)
    page.get_by_label("No recurrent funding agreed for the service").check()
    page.get_by_label("Not enough DXA scanning capacity for the extra referrals").check()
    page.get_by_role("button", name="Add selected risks").click()
    expect(page.get_by_text("2 starter risks added")).to_be_visible()
    expect(page.locator("#raid-log tbody tr")).to_have_count(2)

    page.get_by_role("button", name="Add a decision").click()
    page.get_by_label("Title").fill("Approve a 12-month nurse pilot")
    page.get_by_label("Who decides").fill("Steering group")
    page.get_by_label("Status").select_option("agreed")
    page.get_by_label("Outcome").fill("Approved")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Enter the date the decision was made").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Date decided").fill("2/3/2026")
    page.get_by_role("button", name="Save decision").click()
    expect(
        page.get_by_role("heading", level=1, name="Approve a 12-month nurse pilot")
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Change this decision").click()
    expect(page.get_by_label("Outcome")).to_have_value("Approved")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Delete it").click()
    expect(page.get_by_role("heading", name="Delete this decision?")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Cancel and go back").click()
    page.get_by_role("link", name="Back to the log").click()
    expect(page.locator("#raid-log").get_by_text("Decided 2 Mar 2026")).to_be_visible()

    page.goto(live_server("/help"))
    expect(
        page.get_by_role("heading", name="Risks, issues and decisions (the RAID log)")
    ).to_be_visible()
    assert_no_axe_violations(page)
