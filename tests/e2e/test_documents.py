"""The clinical champion writes the PID text, checks the wording, downloads the PID; the
sponsor agrees it; the highlight report previews and downloads. axe on every page."""

import docx
from playwright.sync_api import expect

from app.accounts.service import create_user
from app.extensions import db
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.e2e.conftest import assert_no_axe_violations
from tests.fixtures.documents import build_project


def _world() -> int:
    champion = create_user("champion@example.nhs.uk", "Tom Evans", "correct horse battery")
    sponsor = create_user("sponsor@example.nhs.uk", "Helen Brooks", "correct horse battery")
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=champion.id, role="editor"))
    db.session.add(Membership(site_id=site.id, user_id=sponsor.id, role="editor", is_sponsor=True))
    db.session.flush()
    build_project(site, tasks=14, people=6, meetings=4, risks=4, kpi_months=6, narrative=False)
    return site.id


def test_write_check_download_agree_and_report(page, live_server, seed, sign_in_as) -> None:
    site_id = seed(_world)
    sign_in_as("champion@example.nhs.uk")
    page.goto(live_server(f"/sites/{site_id}/documents"))
    expect(page.get_by_role("heading", level=1, name="Documents")).to_be_visible()
    assert_no_axe_violations(page)

    # Too long a purpose is refused next to the field and kept; nothing else is lost.
    page.get_by_label("Purpose and background").fill("Bones break. " * 200)
    page.get_by_label("Contact name").fill("Tom Evans")
    page.get_by_role("button", name="Save the PID text").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Contact name")).to_have_value("Tom Evans")
    assert_no_axe_violations(page)

    # The wording check advises without saving.
    long = "We will " + "really " * 30 + "find people."
    page.get_by_label("Purpose and background").fill(f"The MSK team helps. {long}")
    page.get_by_role("button", name="Check the wording without saving").click()
    check = page.get_by_role("table", name="Plain-English check of each section")
    expect(check.get_by_role("row").filter(has_text="Purpose and background")).to_contain_text(
        "MSK"
    )
    assert_no_axe_violations(page)

    page.get_by_label("Purpose and background").fill(
        "People over 50 who break a bone in a fall need their bones checked. "
        "Our musculoskeletal (MSK) team will help."
    )
    page.get_by_role("button", name="Save the PID text").click()
    expect(page.get_by_text("PID text saved.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the PID (Word)").click()
    document = docx.Document(str(download_info.value.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Our musculoskeletal (MSK) team will help." in text
    expect(page.get_by_text("Only the project sponsor can record")).to_be_visible()

    # The highlight report: printable preview, then Word.
    page.get_by_role("link", name="Open the highlight report").click()  # its own page
    expect(
        page.get_by_role("heading", level=1, name="Steering-group highlight report")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Status by phase")).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as Word").click()
    assert download_info.value.suggested_filename.endswith(".docx")

    # The sponsor records v1.0 as agreed.
    page.get_by_role("button", name="Sign out").click()
    sign_in_as("sponsor@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}/documents"))
    expect(page.get_by_label("Version number")).to_have_value("v1.0")
    page.get_by_role("button", name="Record this version as agreed").click()
    expect(page.get_by_text("PID v1.0 recorded as agreed")).to_be_visible()
    expect(page.locator("#agree + ul")).to_contain_text("v1.0 agreed by Helen Brooks")
    assert_no_axe_violations(page)
