"""A project manager builds the stakeholder list, fills the reference group, checks who is
missing, then moves the list to another site through a CSV file."""

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.extensions import db
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations


def _world() -> dict:
    pm = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    first = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    second = create_site(SiteDetails(name="Hilltop FLS", organisation="Hilltop NHS Trust"))
    for site in (first, second):
        db.session.add(Membership(site_id=site.id, user_id=pm.id, role="manager"))
    db.session.flush()
    return {"first": first.id, "second": second.id}


PEOPLE = [
    ("Margaret Hill", "Patient representative", "patients", "margaret.hill@example.org"),
    ("Dr Fiona Walsh", "GP partner", "primary-care", "fiona.walsh@example.nhs.uk"),
    ("Ben Carter", "Lead pharmacist", "pharmacy", "ben.carter@example.nhs.uk"),
]

TITLES = {name: title for name, title, _category, _email in PEOPLE}


def _add_person(page, name: str, title: str, category: str, email: str) -> None:  # noqa: ANN001
    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Job title").fill(title)
    page.get_by_label("Stakeholder category").select_option(category)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def test_people_reference_group_coverage_and_csv_between_sites(
    page, live_server, seed, sign_in_as, tmp_path
) -> None:
    ids = seed(_world)
    sign_in_as("pm@example.nhs.uk")
    page.goto(live_server(f"/sites/{ids['first']}/people"))
    expect(page.get_by_text("No people yet.")).to_be_visible()
    assert_no_axe_violations(page)

    # A bad email is refused next to the field, and nothing is saved.
    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("Full name").fill("Margaret Hill")
    page.get_by_label("Email address").fill("margaret.hill@")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.get_by_label("Full name").input_value() == "Margaret Hill"
    assert_no_axe_violations(page)
    page.goto(live_server(f"/sites/{ids['first']}/people"))

    for name, title, category, email in PEOPLE:
        _add_person(page, name, title, category, email)
        assert_no_axe_violations(page)
        page.get_by_role("link", name="People", exact=True).first.click()

    page.get_by_role("link", name="Who is missing").click()
    expect(page.get_by_text("0 of 13 categories have at least one member.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Change the reference group's members").click()
    assert_no_axe_violations(page)
    for name in ("Margaret Hill", "Dr Fiona Walsh"):  # many at once: tick both, add once
        page.get_by_label(f"{name} ({TITLES[name]})").check()
    page.get_by_role("button", name="Add to group").click()
    for name in ("Margaret Hill", "Dr Fiona Walsh"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Coverage").click()
    expect(page.get_by_text("2 of 13 categories have at least one member.")).to_be_visible()
    patients_row = page.get_by_role("row", name="Patients and patient advocates")
    assert "Margaret Hill" in patients_row.inner_text()
    expect(page.get_by_role("img", name="Power and interest grid")).to_be_visible()
    assert_no_axe_violations(page)

    # Download the list as CSV...
    page.goto(live_server(f"/sites/{ids['first']}/people"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    csv_path = tmp_path / "people.csv"
    download_info.value.save_as(csv_path)
    assert "Margaret Hill" in csv_path.read_text(encoding="utf-8-sig")

    # ...and import it into the other site, through the preview.
    page.goto(live_server(f"/sites/{ids['second']}/people"))
    page.get_by_role("link", name="Import from a spreadsheet").click()
    assert_no_axe_violations(page)
    page.get_by_label("A CSV or Excel (.xlsx) file").set_input_files(str(csv_path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text("3 new people to add")).to_be_visible()
    assert page.get_by_label("Import column Email as").input_value() == "email"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Import 3 people").click()
    expect(page.get_by_text("Import finished: 3 added, 0 updated")).to_be_visible()
    expect(page.get_by_role("link", name="Ben Carter")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Who is missing").click()
    expect(page.get_by_text("2 of 13 categories have at least one member.")).to_be_visible()

    # One person's page: groups, personal data, erasure with a confirmation step.
    page.goto(live_server(f"/sites/{ids['second']}/people"))
    page.get_by_role("link", name="Margaret Hill").click()
    expect(page.get_by_role("link", name="Stakeholder reference group")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_role("heading", name="Erase Margaret Hill?")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_text("erased everywhere")).to_be_visible()
    expect(page.get_by_role("link", name="Margaret Hill")).to_have_count(0)


def test_coverage_and_users_fit_a_phone(page, live_server, seed, sign_in_as) -> None:
    """Wide tables scroll inside their box at 390 px; the page itself never scrolls sideways."""
    from app.people.models import Person

    def _phone_world() -> int:
        create_user("admin@example.nhs.uk", "Ada Admin", PASSWORD, "admin")
        for n in range(3):
            create_user(f"someone.with.a.long.address.{n}@example.nhs.uk", f"User {n}", PASSWORD)
        site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
        db.session.add_all(
            Person(site_id=site.id, name=f"Alexandra Montgomery-Smythe {n}") for n in range(3)
        )
        db.session.flush()
        return site.id

    site_id = seed(_phone_world)
    sign_in_as("admin@example.nhs.uk", check=False)
    page.set_viewport_size({"width": 390, "height": 900})
    for path in (f"/sites/{site_id}/coverage", "/admin/users"):
        page.goto(live_server(path))
        expect(page.locator("h1")).to_be_visible()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"
        assert_no_axe_violations(page)
