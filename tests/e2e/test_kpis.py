"""An editor enters six months of KPI values, sees the run chart and a signal."""

from playwright.sync_api import expect

from app.accounts.service import create_user
from app.core.dates import today
from app.kpis.periods import months_back
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.e2e.conftest import assert_no_axe_violations

RISING = [(12, 40), (15, 40), (18, 40), (21, 40), (24, 40), (28, 40)]


def _world() -> int:
    from app.extensions import db

    nurse = create_user("nurse@example.nhs.uk", "Grace Okafor", "correct horse battery")
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=nurse.id, role="editor"))
    db.session.flush()
    return site.id


def test_enter_six_months_and_see_the_chart_and_a_signal(
    page, live_server, seed, sign_in_as
) -> None:
    site_id = seed(_world)
    sign_in_as("nurse@example.nhs.uk")
    page.goto(live_server(f"/sites/{site_id}/kpis"))
    expect(page.get_by_text("No KPI values yet.", exact=False)).to_be_visible()
    assert_no_axe_violations(page)

    for index, (period, (numerator, denominator)) in enumerate(
        zip(months_back(today(), 6), RISING, strict=True)
    ):
        page.get_by_role("button", name="Enter a month's values").click()
        if index == 0:
            assert_no_axe_violations(page)
        page.get_by_label("Period").fill(period.key)
        page.get_by_label("KPI 9 numerator").fill(str(numerator))
        page.get_by_label("KPI 9 denominator").fill(str(denominator))
        page.get_by_role("button", name="Save values").click()
        expect(page.get_by_text(f"{period.label}: 1 values added")).to_be_visible()

    # A mistake is refused with the message next to the box and nothing saved.
    page.get_by_role("button", name="Enter a month's values").click()
    page.get_by_label("Period").fill(months_back(today(), 1)[0].key)
    page.get_by_label("KPI 4 numerator").fill("50")
    page.get_by_label("KPI 4 denominator").fill("40")
    page.get_by_role("button", name="Save values").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#num_4-error")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server(f"/sites/{site_id}/kpis"))
    summary = page.locator("#kpi-summary")
    expect(summary.get_by_text("70.0%")).to_be_visible()
    expect(summary.get_by_text("improving: 6 points rising in a row")).to_be_visible()
    assert_no_axe_violations(page)

    summary.get_by_role("link", name="9. Follow-up by 16 weeks").click()
    chart = page.get_by_role("img", name="KPI 9: Monitoring contact at 12 to 16 weeks: run chart")
    expect(chart).to_be_visible()
    expect(page.locator("svg .kpi-median")).to_have_count(1)
    expect(page.locator("svg .kpi-target")).to_have_count(1)
    expect(page.locator("svg .kpi-signal")).to_have_count(6)
    expect(
        page.locator("#kpi-signals").get_by_text("Improving: 6 points rising in a row")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Values by period (the chart as a table)")
    ).to_be_visible()
    assert_no_axe_violations(page)
