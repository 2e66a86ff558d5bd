"""The Start Out gateway in the browser: tasks done, review requested, the sponsor signs off."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.core.dates import today
from app.extensions import db
from app.gateways.readiness import tasks_said_by_outcomes
from app.plan.models import Task
from app.plan.service import create_plan
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations


def _world() -> dict:
    manager = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    sponsor = create_user("sponsor@example.nhs.uk", "Helen Brooks", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=manager.id, role="manager"))
    db.session.add(Membership(site_id=site.id, user_id=sponsor.id, role="viewer", is_sponsor=True))
    create_plan(site, "new", today() - timedelta(days=30))
    db.session.execute(db.delete(Task).where(Task.site_id == site.id, Task.phase > 1))
    db.session.flush()
    essentials = db.session.scalars(
        db.select(Task.id).where(Task.site_id == site.id, Task.phase == 1, Task.essential.is_(True))
    ).all()
    listed = db.session.scalar(
        db.select(db.func.count(Task.id)).where(
            Task.site_id == site.id,
            Task.phase == 1,
            Task.essential.is_(True),
            Task.library_key.not_in(sorted(tasks_said_by_outcomes(1))),
        )
    )
    return {"site": site.id, "essentials": list(essentials), "listed": listed}


def _readiness(page) -> int:  # noqa: ANN001
    return int(page.get_by_test_id("readiness").inner_text().split()[0])


def test_start_out_signed_off_moves_site_to_define_and_scope(
    page, live_server, seed, sign_in_as
) -> None:
    ids = seed(_world)
    site = ids["site"]
    sign_in_as("pm@example.nhs.uk")
    page.goto(live_server(f"/sites/{site}/gateways/1"))
    assert_no_axe_violations(page)
    before = _readiness(page)

    # Complete the essential Start Out tasks inline on the plan (htmx swaps each phase).
    page.goto(live_server(f"/sites/{site}/plan?phase=1&essential=1"))
    for task_id in ids["essentials"]:
        row = page.locator(f"#task-{task_id}")
        row.get_by_role("link", name="Edit").click()
        row.get_by_label("Status").select_option("complete")
        row.get_by_role("button", name="Save").click()
        page.wait_for_function(
            "id => document.querySelector(`#task-${id} .app-rag`)?.innerText.includes('Complete')",
            arg=task_id,
        )
    page.goto(live_server(f"/sites/{site}/gateways/1"))
    # Only the essential tasks whose fact is not already a criterion are criteria of their
    # own; the champion is the role on the project team, not the task ticked by hand.
    after_tasks = before + ids["listed"]
    assert _readiness(page) == after_tasks

    # A person confirms one criterion the app cannot check.
    criterion = page.locator('[id="c-start-out.stakeholders-identified"]')
    criterion.locator("summary").click()
    criterion.get_by_label("Met", exact=True).check()
    criterion.get_by_label("Note (required if not applicable").fill("All 13 categories listed.")
    criterion.get_by_role("button").click()
    assert _readiness(page) == after_tasks + 1

    # Criteria still unmet go to the sponsor only as exceptions, each with the team's reason.
    page.get_by_role("button", name="Request review with these exceptions").click()
    expect(page.get_by_text("Some criteria are not met.")).to_be_visible()
    assert_no_axe_violations(page)
    for field in page.locator("textarea[name^='request-exception-']").all():
        field.fill("To finish early in the next phase.")
    page.get_by_role("button", name="Request review with these exceptions").click()
    expect(page.get_by_text("Review requested").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    sign_in_as("sponsor@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site}/gateways/1"))
    assert_no_axe_violations(page)
    # One decision near the top: signing off without conditions is refused, nothing saved.
    page.get_by_label("Sign off, accepting what is not met").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("Give a reason for accepting each criterion").first).to_be_visible()
    page.get_by_label("Sign off, accepting what is not met").check()
    page.get_by_label("Your reasons and conditions").fill(
        "Agreed at the steering group to finish early in the next phase."
    )
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("Signed off with exceptions").first).to_be_visible()
    expect(page.get_by_role("table", name="Decisions on this gateway")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server(f"/sites/{site}/gateways"))
    expect(page.get_by_text("now Phase 2: Define and Scope")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(live_server(f"/sites/{site}/"))
    expect(page.get_by_text("Current phase: Phase 2: Define and Scope")).to_be_visible()
    page.goto(live_server("/"))
    expect(page.get_by_role("cell", name="Define and Scope")).to_be_visible()
    page.goto(live_server(f"/sites/{site}/gateways/1/record"))
    assert_no_axe_violations(page)

    # On a phone the decisions and criteria tables scroll in their own box, not the page.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/gateways", "/gateways/1", "/gateways/1/record", "/history"):
        page.goto(live_server(f"/sites/{site}{path}"))
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths}"
    # The status tag holds its words: "Signed off with exceptions" does not spill over the text.
    tag = page.locator("main .nhsuk-tag", has_text="Signed off with exceptions").first
    page.goto(live_server(f"/sites/{site}/gateways/1"))
    assert tag.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
