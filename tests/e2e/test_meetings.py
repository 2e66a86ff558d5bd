"""A project manager books a monthly steering group, runs the next meeting and chases actions."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.core.dates import today
from app.extensions import db
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations
from tests.fixtures.meetings import create_group, create_person


def _world() -> int:
    pm = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=pm.id, role="manager"))
    people = [
        create_person(site, name, job_title=job)
        for name, job in (
            ("Ann Chair", "Clinical champion"),
            ("Bob Notes", "Project manager"),
            ("Cat Nurse", "FLS nurse"),
        )  # fmt: skip
    ]
    create_group(site, "FLS steering group", people, quorum=2)
    return site.id


def test_monthly_series_to_issued_minutes_and_action_log(page, live_server, seed, sign_in_as):
    site_id = seed(_world)
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}/meetings"))
    assert_no_axe_violations(page)

    # Book a monthly series starting today; the first one has started, so minutes can go out.
    page.get_by_role("link", name="Schedule a series").click()
    assert_no_axe_violations(page)
    page.get_by_label("Type of meeting").select_option("steering_group")
    page.get_by_label("Title").fill("Monthly steering group")
    page.get_by_label("Date of the first meeting").fill(f"{today():%d/%m/%Y}")
    page.get_by_label("Start time").fill("00:00")
    page.get_by_label("End time").fill("23:59")
    page.get_by_label("Group invited").select_option(label="FLS steering group")
    page.get_by_label("Chair").select_option(label="Ann Chair")
    page.get_by_label("Minute-taker").select_option(label="Bob Notes")
    page.get_by_label("How often").select_option("monthly")
    page.get_by_label("Number of meetings").fill("6")
    page.get_by_role("button", name="Book the meetings").click()
    # It began at midnight, so the app asks whether a meeting in the past is meant.
    expect(page.get_by_text("starts in the past").first).to_be_visible()
    page.get_by_label("Yes, record a meeting that has already happened").check()
    page.get_by_role("button", name="Book the meetings").click()
    expect(page.get_by_text("6 meetings booked")).to_be_visible()
    expect(page.get_by_role("link", name="Monthly steering group")).to_have_count(6)
    assert_no_axe_violations(page)

    # The next meeting: agenda from the template.
    page.get_by_role("link", name="Monthly steering group").first.click()
    page.get_by_role("button", name="Add the standing items").click()
    expect(page.get_by_role("heading", name="3. Action log review")).to_be_visible()
    assert_no_axe_violations(page)

    # Attendance: two present, one apology; the group's quorum of 2 is met.
    page.get_by_role("group", name="Attendance of Ann Chair").get_by_label("Present").check()
    page.get_by_role("group", name="Attendance of Bob Notes").get_by_label("Present").check()
    page.get_by_role("group", name="Attendance of Cat Nurse").get_by_label("Apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    expect(page.get_by_text("Quorate", exact=True)).to_be_visible()

    # A decision against "Progress against the plan".
    page.get_by_role("link", name="Write minutes for Progress against the plan").click()
    assert_no_axe_violations(page)
    page.get_by_label("Notes").fill("The plan is on track for the Phase 1 gateway.")
    page.get_by_label("Decisions").fill("Adopt the 5IQ service model")
    page.get_by_role("button", name="Save minutes").click()
    expect(page.get_by_text("Adopt the 5IQ service model")).to_be_visible()

    # Two actions.
    due = today() + timedelta(days=14)
    for text, owner in (("Book the pathway mapping workshop", "Cat Nurse"),
                        ("Send the PID to the reference group", "Bob Notes")):  # fmt: skip
        page.get_by_text("Add an action").click()
        page.get_by_label("Action", exact=True).fill(text)
        page.get_by_label("Owner").select_option(label=owner)
        page.get_by_label("Due date").fill(f"{due:%d/%m/%Y}")
        page.get_by_role("button", name="Add action").click()
        expect(page.get_by_text("Action added to the action log.")).to_be_visible()

    page.get_by_role("link", name="Issue minutes").click()
    expect(page.get_by_role("heading", name="Issue the minutes")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Issue the minutes").click()
    expect(page.get_by_text("Minutes issued.", exact=False).first).to_be_visible()
    expect(page.get_by_text("Same day")).to_be_visible()
    assert_no_axe_violations(page)

    # The action log: both actions, one marked done inline.
    page.get_by_role("navigation", name="Site sections").get_by_role(
        "link", name="Meetings"
    ).click()
    page.get_by_role("link", name="Open the action log").click()
    expect(page.get_by_role("heading", name="Action log")).to_be_visible()
    rows = page.locator("#action-log tbody tr")
    expect(rows.filter(has_text="Book the pathway mapping workshop")).to_have_count(1)
    expect(rows.filter(has_text="Send the PID to the reference group")).to_have_count(1)
    assert_no_axe_violations(page)
    row = page.locator("tr", has_text="Book the pathway mapping workshop")
    row.get_by_label("Status of action").select_option("done")
    page.get_by_role("button", name="Save status changes").click()  # one Save for the table
    expect(page.get_by_text("Saved 1 change.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Status", exact=True).select_option("done")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"status=done"))
    rows = page.locator("#action-log tbody tr")
    expect(rows.filter(has_text="Book the pathway mapping workshop")).to_have_count(1)
    expect(rows.filter(has_text="Send the PID to the reference group")).to_have_count(0)
