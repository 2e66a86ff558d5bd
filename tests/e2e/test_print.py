"""Printouts of the plan, the timeline and the overview (#32 item 7): every page names the
site and the date it was printed, no form or control is printed, and the timeline's first
page is not left half empty. Printed to PDF in Chromium and read back with pdftotext."""

from __future__ import annotations

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
