"""An editor works the plan in the browser: filter, inline edit, timeline, workbook round trip."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
from playwright.sync_api import expect

from app.accounts.service import create_user
from app.core.dates import today
from app.extensions import db
from app.people.models import Person
from app.plan.models import Task
from app.plan.service import create_plan
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations


def _world() -> dict:
    editor = create_user("editor@example.nhs.uk", "Erin Editor", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=editor.id, role="editor"))
    db.session.add(Person(site_id=site.id, name="Olivia Owner", user_id=editor.id))
    create_plan(site, "new", today() - timedelta(days=400))
    # A shorter plan keeps axe quick; the query-count test covers big plans.
    db.session.execute(db.delete(Task).where(Task.site_id == site.id, Task.phase > 2))
    db.session.flush()
    late = db.session.scalars(
        db.select(Task).where(Task.site_id == site.id, Task.phase == 1).order_by(Task.position)
    ).first()
    return {"site": site.id, "task": late.id, "title": late.title}


def test_editor_filters_edits_inline_and_round_trips_the_workbook(
    page, live_server, seed, sign_in_as, tmp_path
) -> None:
    ids = seed(_world)
    sign_in_as("editor@example.nhs.uk")
    page.goto(live_server(f"/sites/{ids['site']}/plan"))
    assert_no_axe_violations(page)

    page.get_by_label("Overdue").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**overdue=1**")
    assert_no_axe_violations(page)

    row = page.locator(f"#task-{ids['task']}")
    summary = page.locator("#phase-1-summary")
    assert row.locator(".app-rag").inner_text().startswith("Red")
    done_before = summary.inner_text()
    # Edit swaps the row for its form in place (htmx), with the filtered view kept.
    row.get_by_role("link", name="Edit").click()
    expect(row.get_by_label("Status")).to_be_focused()
    assert "overdue=1" in page.url and "edit=" not in page.url
    assert_no_axe_violations(page)
    row.get_by_label("Status").select_option("complete")
    row.get_by_role("button", name="Save").click()
    page.wait_for_function(
        "id => document.querySelector('#task-' + id + ' .app-rag')?.innerText.includes('Complete')",
        arg=ids["task"],
    )
    assert page.locator("#phase-1-summary").inner_text() != done_before
    assert "overdue=1" in page.url  # no page load: the filtered view is still the one shown
    expect(row.get_by_label("Status")).to_have_count(0)  # back to a plain row
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Timeline").first.click()
    expect(page.locator("table.app-gantt").first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server(f"/sites/{ids['site']}/plan"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as a workbook (.xlsx)").click()
    path = tmp_path / "plan.xlsx"
    download_info.value.save_as(path)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    row_number = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == ids["task"]
    )
    sheet.cell(row_number, 6).value = date(2031, 5, 17)
    book.save(path)

    page.get_by_role("link", name="Import a workbook").click()
    assert_no_axe_violations(page)
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Check the workbook").click()
    expect(page.get_by_text("17 May 2031").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_text("1 changed")).to_be_visible()

    page.goto(live_server(f"/sites/{ids['site']}/tasks/{ids['task']}"))
    history = page.get_by_role("table", name="Changes to this task").inner_text()
    assert "17 May 2031" in history and "Erin Editor" in history
    assert_no_axe_violations(page)

    # The full edit form refuses a due date before the start, keeping what was typed.
    page.get_by_role("link", name="Change this task").click()
    page.get_by_label("Start date").fill("10/06/2031")
    page.get_by_label("Due date").fill("01/06/2031")
    page.get_by_role("button", name="Save task").click()
    expect(
        page.get_by_text("The due date must be on or after the start date.").first
    ).to_be_visible()
    assert page.get_by_label("Due date").input_value() == "01/06/2031"
    assert_no_axe_violations(page)

    page.goto(live_server("/my-tasks"))
    expect(page.get_by_role("heading", name="Your open tasks")).to_be_visible()
    assert_no_axe_violations(page)
