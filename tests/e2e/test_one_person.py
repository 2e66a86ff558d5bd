"""From an empty database: a site, its manager and sponsor invited, each chooses a password
through the emailed link and accepts the access offered, both fill their project-team
roles, and a person added a minute earlier owns the champion task."""

import re

from playwright.sync_api import expect

from app.accounts.service import create_user
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations
from tests.web.emailed_links import emailed_invitation_path

MANAGER_PASSWORD = "my own long passphrase"


def _invite(page, seed, email: str, name: str, access: str, sponsor: bool = False) -> str:  # noqa: ANN001
    """Give access on the members page; returns the link as the invitee's email holds it
    (the manager is never shown it)."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Access on this site").select_option(access)
    if sponsor:
        page.get_by_role("checkbox", name="Project sponsor", exact=True).check()
    page.get_by_role("button", name="Give access").click()
    expect(page.get_by_text(f"{email} has been offered {access} access.")).to_be_visible()
    assert_no_axe_violations(page)
    return seed(lambda: emailed_invitation_path(email))


def _take_up(page, live_server, link: str, name: str, site_name: str) -> None:  # noqa: ANN001
    """The invitee chooses a password through the link, then accepts on their home page."""
    page.goto(live_server(link))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Choose a password").fill(MANAGER_PASSWORD)
    page.get_by_label("Type it again").fill(MANAGER_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_text(f"Welcome, {name}")).to_be_visible()
    expect(page.get_by_role("heading", name="Access offered to you")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name=f"Accept access to {site_name}").click()
    expect(page.get_by_text("You now have access to this site.")).to_be_visible()


def _sign_out(page) -> None:  # noqa: ANN001
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_a_new_site_from_nothing_to_a_working_team(page, live_server, seed, sign_in_as) -> None:
    seed(lambda: create_user("admin@example.nhs.uk", "Ada Admin", PASSWORD, "admin"))
    sign_in_as("admin@example.nhs.uk")

    page.goto(live_server("/sites/new"))
    assert_no_axe_violations(page)
    page.get_by_label("Site name").fill("Hilltop FLS")
    page.get_by_label("Trust or health board").fill("Hilltop NHS Trust")
    page.get_by_label("Nation").select_option("Wales")
    page.get_by_label("Population aged 50 and over").fill("210,000")
    page.get_by_label("Service status").select_option("new")
    page.get_by_label("Project start date").fill("2/3/2026")
    page.get_by_role("button", name="Create site").click()
    expect(page.get_by_text("created with its project plan")).to_be_visible()
    expect(
        page.get_by_role("heading", level=1, name="Who has access to Hilltop FLS")
    ).to_be_visible()
    assert_no_axe_violations(page)
    site_path = re.search(r"(/sites/\d+)/members", page.url).group(1)

    manager_link = _invite(page, seed, "mo.manager@example.nhs.uk", "Mo Manager", "manager")
    sponsor_link = _invite(
        page, seed, "sue.sponsor@example.nhs.uk", "Sue Sponsor", "viewer", sponsor=True
    )
    expect(page.get_by_role("cell", name="Mo Manager", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Viewer and project sponsor")).to_be_visible()
    assert_no_axe_violations(page)
    _sign_out(page)

    # Each chooses their own password through their link and accepts the access offered.
    _take_up(page, live_server, manager_link, "Mo Manager", "Hilltop FLS")
    assert page.url.endswith(f"{site_path}/")
    assert_no_axe_violations(page)
    _sign_out(page)
    _take_up(page, live_server, sponsor_link, "Sue Sponsor", "Hilltop FLS")
    _sign_out(page)
    sign_in_as("mo.manager@example.nhs.uk", MANAGER_PASSWORD)

    # Both are on the project team, in the roles their access brings.
    page.goto(live_server(f"{site_path}/coverage"))
    expect(page.get_by_text("2 of 7 roles filled")).to_be_visible()
    expect(page.get_by_role("row", name="Project manager Filled Mo Manager")).to_be_visible()
    expect(page.get_by_role("row", name="Project sponsor Filled Sue Sponsor")).to_be_visible()
    assert_no_axe_violations(page)

    # A person added now can own the champion task straight away.
    page.goto(live_server(f"{site_path}/people/new"))
    page.get_by_label("Full name").fill("Dr Chris Lee")
    page.get_by_label("Job title").fill("Orthogeriatrician")
    page.get_by_label("Email address").fill("chris.lee@example.nhs.uk")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1, name="Dr Chris Lee")).to_be_visible()

    page.goto(live_server(f"{site_path}/plan"))
    page.get_by_role("link", name="Agree who will be the clinical champion").first.click()
    page.get_by_role("link", name="Change this task").click()
    owner = page.get_by_label("Owner")
    for name in ("Mo Manager", "Sue Sponsor", "Dr Chris Lee"):  # waits for the edit page
        expect(owner.locator("option", has_text=name)).to_have_count(1)
    owner.select_option(label="Dr Chris Lee")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save task").click()
    expect(page.get_by_text("Dr Chris Lee").first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server(f"{site_path}/coverage"))
    expect(page.get_by_text("2 of 7 roles filled")).to_be_visible()
