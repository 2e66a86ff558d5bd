"""A person signs in, sees their sites, opens one, is kept out of another, signs out."""

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations


def _world():
    manager = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    mine = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    theirs = create_site(SiteDetails(name="Hilltop FLS", organisation="Hilltop NHS Trust"))
    from app.extensions import db

    db.session.add(Membership(site_id=mine.id, user_id=manager.id, role="manager"))
    db.session.flush()
    return {"mine": mine.id, "theirs": theirs.id}


def test_sign_in_open_site_and_sign_out(page, live_server, seed, sign_in_as) -> None:
    ids = seed(_world)
    sign_in_as("pm@example.nhs.uk")
    expect(page.get_by_role("heading", name="Your sites")).to_be_visible()
    assert_no_axe_violations(page)
    expect(page.get_by_role("link", name="Hilltop FLS")).to_have_count(0)

    page.get_by_role("link", name="Riverside FLS").click()
    expect(page.get_by_role("heading", level=1, name="Riverside FLS")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Who has access").click()
    expect(page.get_by_role("heading", name="Who has access to Riverside FLS")).to_be_visible()
    assert_no_axe_violations(page)

    response = page.goto(live_server(f"/sites/{ids['theirs']}/"))
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server("/"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    response = page.goto(live_server(f"/sites/{ids['mine']}/"))
    assert "/login" in page.url


def test_wrong_password_says_so_without_saying_which(page, live_server, seed) -> None:
    seed(_world)
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill("pm@example.nhs.uk")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Email or password is incorrect.").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Email address").fill("pm@example.nhs.uk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your sites")).to_be_visible()


def test_admin_creates_a_user_and_a_site_and_gives_access(page, live_server, seed, sign_in_as):
    seed(lambda: create_user("admin@example.nhs.uk", "Alex Admin", PASSWORD, "admin"))
    sign_in_as("admin@example.nhs.uk")

    page.get_by_role("link", name="Users").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Add a user").click()
    page.get_by_role("button", name="Add user").click()  # empty form: errors, nothing saved
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Full name").fill("Nina Nurse")
    page.get_by_label("Email address").fill("nina@example.nhs.uk")
    page.get_by_label("Temporary password").fill("temporary-pass-1")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("cell", name="nina@example.nhs.uk")).to_be_visible()

    page.goto(live_server("/"))
    page.get_by_role("link", name="Create a site").click()
    assert_no_axe_violations(page)
    page.get_by_label("Site name").fill("Hilltop FLS")
    page.get_by_label("Trust or health board").fill("Hilltop NHS Trust")
    page.get_by_label("Project start date").fill("2/3/2026")
    page.get_by_role("button", name="Create site").click()
    expect(page.get_by_role("heading", name="Who has access to Hilltop FLS")).to_be_visible()
    page.get_by_label("Email address").fill("nina@example.nhs.uk")
    page.get_by_label("Full name").fill("Nina Nurse")
    page.get_by_label("Access on this site").select_option("editor")
    page.get_by_role("button", name="Give access").click()
    # An offer she accepts when she signs in (the same words whether or not she has an account).
    expect(page.get_by_text("nina@example.nhs.uk has been offered editor access.")).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting for them to accept")).to_be_visible()
    assert_no_axe_violations(page)

    for path in ("/toolkit", "/help", "/account/password"):
        page.goto(live_server(path))
        assert_no_axe_violations(page)
