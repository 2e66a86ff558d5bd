"""The main pages at a phone's width (390 px) and a laptop's (1366 px): no sideways scroll on
the phone, axe clean at both; the timeline printed to A4 has its month axis on every page."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.accounts.service import create_user
from app.core.dates import today
from app.extensions import db
from app.people.models import Person
from app.plan.service import create_plan
from app.risks.models import RaidEntry
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent.parent.parent / "instance" / "screenshots"
MONTH_LABEL = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d\b")


def _world() -> int:
    create_user("support@example.org.uk", "Sam Patel", PASSWORD, "support")
    manager = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    site = create_site(
        SiteDetails(name="Riverside FLS", organisation="Riverside Trust", region="London")
    )
    create_site(SiteDetails(name="Dales FLS", organisation="Dales Trust", region="North West"))
    # The toolkit's full plan, started eight months ago: some tasks done, some late.
    create_plan(site, "new", today() - timedelta(days=240))
    db.session.add_all(
        [
            Membership(site_id=site.id, user_id=manager.id, role="manager"),
            Person(site_id=site.id, name="Morag Fairbairn", organisation="Riverside Trust"),
            RaidEntry(site_id=site.id, kind="risk", title="No DXA slots", likelihood=4, impact=4),
        ]
    )
    db.session.flush()
    return site.id


def _no_sideways_scroll(page) -> None:  # noqa: ANN001
    # Measured once the page has loaded: the header folds its entries into "More" then, and
    # a page measured a moment earlier is as wide as the whole navigation (944 px at 390).
    page.wait_for_load_state()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


@pytest.mark.parametrize("width", [390, 1366])
def test_main_pages_fit_the_screen_and_pass_axe(
    page, live_server, seed, sign_in_as, width: int
) -> None:
    site_id = seed(_world)
    page.set_viewport_size({"width": width, "height": 900})
    SHOTS.mkdir(parents=True, exist_ok=True)
    for who, paths in [
        (
            "pm@example.nhs.uk",
            ["/", "/plan", "/plan?q=stakeholder", "/timeline", "/search?q=dxa"]
            + ["/risks", "/risks?cell=4-4&status=open", "/actions", "/kpis", "/needs"]
            + ["/needs?show=inputs", "/needs?show=versions", "/members", "/documents"]
            + ["/documents/steering-report", "/search"],
        ),
        ("support@example.org.uk", [None]),
    ]:
        sign_in_as(who, check=False)
        for path in paths:
            url = "/portfolio" if path is None else f"/sites/{site_id}{path}"
            page.goto(live_server(url))
            expect(page.locator("h1")).to_be_visible()
            if width == 390:
                _no_sideways_scroll(page)
            assert_no_axe_violations(page)
            name = re.sub(r"\W+", "-", url).strip("-")
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
        page.context.clear_cookies()


def test_plan_rows_stack_on_a_phone(page, live_server, seed, sign_in_as) -> None:
    site_id = seed(_world)
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}/plan"))
    row = page.locator("table.app-plan-table tbody tr").first
    title, owner = row.locator("th").bounding_box(), row.locator("td[data-label='Owner']")
    # Stacked: the owner sits under the task's name, labelled, not squeezed beside it.
    assert owner.bounding_box()["y"] >= title["y"] + title["height"] - 1
    assert title["width"] > 300
    label = owner.evaluate("el => getComputedStyle(el, '::before').content")
    assert "Owner" in label
    _no_sideways_scroll(page)


def _world_with_an_action() -> int:
    from app.meetings.models import Action

    site_id = _world()
    db.session.add(Action(site_id=site_id, description="Ask radiology about DXA capacity"))
    db.session.flush()
    return site_id


def test_action_log_risks_and_portfolio_rows_stack_on_a_phone(
    page, live_server, seed, sign_in_as
) -> None:
    """Each row a card: its cells one under another, each with its column's name."""
    site_id = seed(_world_with_an_action)
    page.set_viewport_size({"width": 390, "height": 800})
    for who, path, label in [
        ("pm@example.nhs.uk", f"/sites/{site_id}/actions", "Owner"),
        ("pm@example.nhs.uk", f"/sites/{site_id}/risks", "Owner"),
        ("support@example.org.uk", "/portfolio", "Overall"),
    ]:
        sign_in_as(who, check=False)
        page.goto(live_server(path))
        cell = page.locator(f"table.app-stack tbody tr td[data-label='{label}']").first
        assert cell.evaluate("el => getComputedStyle(el).display") == "block", path
        assert label in cell.evaluate("el => getComputedStyle(el, '::before').content"), path
        header = page.locator("table.app-stack thead").first
        assert header.evaluate("el => getComputedStyle(el).position") == "absolute", path
        _no_sideways_scroll(page)
        page.context.clear_cookies()


def test_portfolio_and_action_log_fit_a_tablet_and_a_laptop(
    page, live_server, seed, sign_in_as
) -> None:
    """Between the phone's stacked cards and a laptop the wide tables scroll in their own
    box; on a laptop the portfolio's box has nothing to scroll (no stray scroll bar)."""
    site_id = seed(_world_with_an_action)
    wrap = "document.querySelector('.app-portfolio-wrap')"
    for who, path in [
        ("support@example.org.uk", "/portfolio"),
        ("pm@example.nhs.uk", f"/sites/{site_id}/actions"),
    ]:
        sign_in_as(who, check=False)
        for width in (768, 1024, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server(path))
            _no_sideways_scroll(page)
            if path == "/portfolio" and width == 1366:
                assert page.evaluate(f"{wrap}.scrollWidth <= {wrap}.clientWidth")
        page.context.clear_cookies()


def test_timeline_prints_a_month_axis_on_every_a4_page(
    page, live_server, seed, sign_in_as, tmp_path: Path
) -> None:
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) is not installed")
    site_id = seed(_world)
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}/timeline"))
    pdf = tmp_path / "timeline.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (842, 595)  # landscape
    assert pages >= 2
    texts = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    assert "Timeline" in texts[0] and "Phase 1: Start Out" in texts[0]  # not a lone heading
    chart_pages = [t for t in texts if "Phases as a table" not in t]
    assert len(chart_pages) >= 2
    for number, text in enumerate(chart_pages, start=1):
        assert MONTH_LABEL.search(text), f"page {number} has no month axis"
    table_page = next(t for t in texts if "Phases as a table" in t)
    assert "Manage and Lead" in table_page  # the phase table is whole on one page


def _demo() -> dict:
    from sqlalchemy import select

    from app.demo import seed_demo
    from app.meetings.models import Meeting
    from app.plan.models import Task

    site = seed_demo().sites["riverside"]
    db.session.flush()
    meetings = db.session.scalars(
        select(Meeting.id).where(Meeting.site_id == site.id).order_by(Meeting.id).limit(3)
    ).all()
    task = db.session.scalar(select(Task.id).where(Task.site_id == site.id).limit(1))
    return {"site": site.id, "meetings": meetings, "task": task}


def test_the_demo_sites_other_pages_fit_a_phone(page, live_server, seed, sign_in_as) -> None:
    """The demo's full data (long emails, wide figure tables, many decisions), not a thin
    world: wide tables scroll inside their own labelled, focusable box or stack, so the page
    itself never scrolls sideways at 390 px."""
    from app.demo import DEMO_PASSWORD

    ids = seed(_demo)
    page.set_viewport_size({"width": 390, "height": 900})
    base = f"/sites/{ids['site']}"
    paths = [f"{base}/meetings/{m}" for m in ids["meetings"]] + [
        f"{base}{tail}"
        for tail in [
            "/needs",
            "/needs?show=versions",
            "/members",
            "/meetings",
            "/gateways",
            "/gateways/1",
            "/history",
            "/business-case",
            "/documents/steering-report",
            f"/tasks/{ids['task']}",
        ]
    ]
    for who, urls in [("pm@example.nhs.uk", paths), ("support@example.org.uk", ["/"])]:
        sign_in_as(who, DEMO_PASSWORD, check=False)
        for url in urls:
            page.goto(live_server(url))
            expect(page.locator("h1")).to_be_visible()
            _no_sideways_scroll(page)
            assert_no_axe_violations(page)
        page.context.clear_cookies()


def _pdf_pages(page, path: Path) -> list[str]:  # noqa: ANN001
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", print_background=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def test_overview_and_report_print_without_links_or_stranded_headings(
    page, live_server, seed, sign_in_as, tmp_path: Path
) -> None:
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) is not installed")
    site_id = seed(_world)
    sign_in_as("pm@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{site_id}/"))
    expect(page.get_by_role("link", name="Change site details")).to_be_visible()
    printed = "".join(_pdf_pages(page, tmp_path / "overview.pdf"))
    assert "Riverside FLS" in printed and "Change site details" not in printed
    assert "Who has access" not in printed

    page.emulate_media(media="screen")
    page.goto(live_server(f"/sites/{site_id}/documents/steering-report"))
    headings = [h.strip() for h in page.locator("main h2").all_inner_texts()]
    assert "Key performance indicators (KPIs)" in headings
    for number, text in enumerate(_pdf_pages(page, tmp_path / "report.pdf"), start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines and lines[-1] not in headings, f"page {number} ends on a heading"
