"""Printouts of the plan, the timeline and the overview (#32 item 7): every page names the
site and the date it was printed, no form or control is printed, and the timeline's first
page is not left half empty. Printed to PDF in Chromium and read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from app.accounts.service import create_user
from app.core.dates import today, uk_date
from app.extensions import db
from app.plan.service import create_plan
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD

SITE = "Riverside Print FLS"
MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d\b")


def _world() -> dict:
    editor = create_user("editor@example.nhs.uk", "Erin Editor", PASSWORD)
    site = create_site(SiteDetails(name=SITE, organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=editor.id, role="editor"))
    create_plan(site, "new", today() - timedelta(days=200))
    return {"site": site.id}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is needed")
@pytest.mark.parametrize("path", ["/plan", "/timeline", "/"])
def test_every_printed_page_names_the_site_and_date(
    page, live_server, seed, sign_in_as, tmp_path: Path, path: str
) -> None:
    ids = seed(_world)
    sign_in_as("editor@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{ids['site']}{path}"))
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('form, select, input, textarea, button')]
            .filter(el => el.type !== 'hidden' && el.getClientRects().length > 0)
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert shown == [], f"printed controls on {path}: {shown}"
    pdf = tmp_path / "printout.pdf"
    page.pdf(path=str(pdf), format="A4")
    shutil.copy(pdf, f"/tmp/h9-print{path.replace('/', '-') or '-overview'}.pdf")
    pages = _pages(pdf)
    printed = f"Printed {uk_date(today())}"
    for number, text in enumerate(pages, start=1):
        assert SITE in text and printed in text, f"page {number} of {len(pages)} of {path}"
    if path == "/timeline":
        # The first page carries a chart, not just the heading and the key.
        first = pages[0]
        assert first.count("\n") > 25, first
    if path == "/plan":
        # Folded on screen, every phase prints whole; the plan's links to other pages do not.
        printed_text = "".join(pages)
        in_order = subprocess.run(  # each cell's words together, not laid out in columns
            ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for task in ("Get the PID agreed by the sponsor", "Hand over to business as usual"):
            assert task in " ".join(in_order.split()), task
        assert "Download as a workbook" not in printed_text
        assert "is the current phase" not in printed_text


def _lowest_text(pdf: Path, page_number: int) -> tuple[float, float]:
    """(how far down the page its body's lowest word ends, the page's height), in points:
    the margin boxes (site, date, page number) aside."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page_number), "-l", str(page_number), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', html)
    body = [float(bottom) for top, bottom in words if 40 < float(top) < height - 40]
    return max(body), height


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is needed")
def test_the_timelines_first_printed_page_is_used_to_its_foot(
    page, live_server, seed, sign_in_as, tmp_path: Path
) -> None:
    """The first phase used to be moved whole to the next sheet whenever it did not fit
    under the heading, leaving a third of the first page blank (#32 item 7): a phase now
    flows across pages, its month axis repeated at the top of each."""
    ids = seed(_world)
    sign_in_as("editor@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{ids['site']}/timeline"))
    page.emulate_media(media="print")
    pdf = tmp_path / "timeline.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    pages = _pages(pdf)
    charts = [number for number, text in enumerate(pages, 1) if "Phases as a table" not in text]
    assert len(charts) >= 3
    for number in charts:
        assert MONTHS.search(pages[number - 1]), f"page {number} has no month axis"
    for number in charts[:-1]:  # the chart runs on: the page is full
        lowest, height = _lowest_text(pdf, number)
        assert lowest > 0.85 * height, f"page {number} ends {lowest:.0f} pt down of {height:.0f}"
