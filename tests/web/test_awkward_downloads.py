"""Every download from a site whose text holds the characters people paste by accident
(vertical tab, NUL, CRLF), formula prefixes, emoji, right-to-left text and very long
paragraphs: each answers 200 and opens again in its own reader."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from xml.etree import ElementTree

import docx
import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select

from app.documents.models import PidNarrative
from app.extensions import db
from app.meetings.models import Action, AgendaItem
from app.needs.assumptions import Override
from app.needs.model import Admissions, NeedsInputs
from tests.fixtures.documents import build_project

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)

# PostgreSQL cannot store NUL at all, so there the awkward text holds the other control
# characters (requests lose NUL on the way in: tests/web/test_nul_input.py).
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
CONTROL = "\x0b\x1f" if ON_POSTGRES else "\x0b\x00\x1f"
RTL = "خدمة الكسور"  # Arabic: right-to-left text must survive
EMOJI = "🦴"
AWKWARD = f"=1+1 {CONTROL}Bone\r\nclinic {RTL} {EMOJI}"
LONG = ("A long paragraph about the fracture pathway. " * 120)[:5000]


@pytest.fixture
def awkward(site_world, save_needs):  # noqa: ANN001, ANN201
    """The site of site_world with awkward text in every free-text field a download shows."""
    site = site_world["site"]
    made = build_project(site, tasks=14, people=4, meetings=2, risks=4, kpi_months=8)
    site.name = f"Riverside {CONTROL}FLS\r\n{RTL}"
    site.organisation = AWKWARD
    made["tasks"][0].title = AWKWARD
    made["tasks"][1].notes = AWKWARD
    made["team"][0].name = f"Ann {CONTROL}Owner {RTL}"
    made["team"][0].job_title = AWKWARD
    made["reference"][0].notes = AWKWARD
    made["reference"][0].name = "=1+1"
    meeting = made["meetings"][0]
    meeting.title = f"Steering\r\ngroup {CONTROL}{EMOJI}"
    meeting.location = "Room 1\r\nLevel 2"
    db.session.add(
        AgendaItem(
            site_id=site.id,
            meeting_id=meeting.id,
            position=9,
            title=AWKWARD,
            notes=f"{LONG}\n{AWKWARD}",
            decisions=f"Agree {CONTROL}the plan\n{RTL}",
        )
    )
    action = db.session.scalar(select(Action).where(Action.meeting_id == meeting.id))
    action.description = AWKWARD
    risk = made["risks"][0]
    risk.title, risk.description, risk.action = "=1+1", AWKWARD, AWKWARD
    narrative = db.session.scalar(select(PidNarrative).where(PidNarrative.site_id == site.id))
    narrative.purpose = f"{LONG}\n\n{AWKWARD}"
    narrative.aims = f"- {AWKWARD}\n- {EMOJI} {RTL}"
    db.session.commit()
    save_needs(
        site,
        NeedsInputs(population_total=184_000, admissions={"hip": Admissions(400)}),
        {"rule_of_5": Override(6, "=1+1 local audit" + CONTROL)},
    )
    return {"site": site, "meeting": meeting}


def _get(client, url: str) -> bytes:  # noqa: ANN001
    response = client.get(url)
    assert response.status_code == 200, url
    assert "attachment" in response.headers.get("Content-Disposition", "attachment"), url
    return response.data


def _documents(meeting) -> dict[str, str]:  # noqa: ANN001
    """Every Word download of a site, by name, as a path under /sites/<id>."""
    return {
        "pid": "/documents/pid.docx",
        "steering-report": "/documents/steering-report.docx",
        "gateway-1": "/gateways/gateway-1.docx",
        "needs-summary": "/needs-summary.docx",
        "agenda": f"/meetings/{meeting.id}/agenda.docx",
        "minutes": f"/meetings/{meeting.id}/minutes.docx",
    }


def _fonts_used(data: bytes) -> set[str]:
    """Every font a Word file names for text (styles, body, header, footer), themes included."""
    fonts: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"word/(styles|document|header\d*|footer\d*)\.xml", name):
                xml = archive.read(name).decode("utf-8")
                for element in re.findall(r"<w:rFonts [^>]*>", xml):
                    fonts.update(re.findall(r'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"', element))
                    if "Theme=" in element or "cstheme=" in element:
                        fonts.add("theme font")
    return fonts


def _docx(data: bytes) -> docx.document.Document:
    document = docx.Document(io.BytesIO(data))
    assert _fonts_used(data) == {"Arial"}
    return document


def _workbook_text_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value]


def _assert_formulas_are_text(data: bytes, allow_formulas: bool = False) -> None:
    cells = _workbook_text_cells(data)
    injected = [c for c in cells if isinstance(c.value, str) and "=1+1" in c.value]
    assert injected, "the awkward text should be in the workbook"
    for cell in injected:
        assert cell.data_type == "s" and cell.value.startswith("'=1+1"), cell.value
    formulas = [c for c in cells if c.data_type == "f"]
    assert bool(formulas) == allow_formulas  # needs.xlsx keeps its own live formulas
    for cell in cells:
        assert not (isinstance(cell.value, str) and re.search(CONTROL[0] + "|\x00", cell.value))


def test_site_downloads_survive_awkward_text(client, login, site_world, awkward) -> None:
    site, meeting = awkward["site"], awkward["meeting"]
    client = login(site_world["editor"])
    base = f"/sites/{site.id}"

    for path in ("/plan.xlsx", "/people.xlsx", "/risks.xlsx"):
        _assert_formulas_are_text(_get(client, base + path))
    _assert_formulas_are_text(_get(client, base + "/needs.xlsx"), allow_formulas=True)
    kpis = load_workbook(io.BytesIO(_get(client, base + "/kpis.xlsx")))
    assert kpis["KPI values"].max_row > 1
    assert _get(client, base + "/kpis/2.png").startswith(b"\x89PNG\r\n\x1a\n")
    assert ElementTree.fromstring(_get(client, base + "/kpis/2.svg")).tag.endswith("svg")

    rows = list(csv.reader(io.StringIO(_get(client, base + "/people.csv").decode("utf-8-sig"))))
    assert any(cell.startswith("'=1+1") for row in rows for cell in row)
    assert not any("\x00" in cell or "\x0b" in cell for row in rows for cell in row)

    for path in _documents(meeting).values():
        document = _docx(_get(client, base + path))
        text = "\n".join(p.text for p in document.paragraphs) + "".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
        assert "\x0b" not in text and "\x00" not in text, path
        assert "FLS" in document.sections[0].header.paragraphs[0].text, path
    minutes = docx.Document(io.BytesIO(_get(client, f"{base}/meetings/{meeting.id}/minutes.docx")))
    minutes_text = "\n".join(p.text for p in minutes.paragraphs)
    assert EMOJI in minutes_text and RTL in minutes_text and LONG[:200] in minutes_text

    for path in (f"/meetings/{meeting.id}.ics", "/meetings.ics"):
        calendar = Calendar.from_ical(_get(client, base + path))
        events = calendar.walk("VEVENT")
        assert events, path
        titles = [str(event["SUMMARY"]) for event in events]
        assert any(title.startswith(f"Steering group {EMOJI}") for title in titles), titles
        assert all("\n" not in title and "\x0b" not in title for title in titles)


def test_calendar_name_is_escaped(login, site_world, awkward) -> None:
    site = awkward["site"]
    site.name = "North, East; West\r\nFLS"
    db.session.commit()
    data = _get(login(site_world["viewer"]), f"/sites/{site.id}/meetings.ics")
    assert b"X-WR-CALNAME:North\\, East\\; West FLS meetings\r\n" in data
    Calendar.from_ical(data)


def test_portfolio_workbook_survives_awkward_text(login, site_world, awkward) -> None:
    data = _get(login(site_world["support"]), "/portfolio.xlsx")
    _assert_formulas_are_text(data)


def test_download_names_follow_one_pattern(login, site_world, awkward) -> None:
    site = awkward["site"]
    client = login(site_world["editor"])
    response = client.get(f"/sites/{site.id}/plan.xlsx")
    disposition = response.headers["Content-Disposition"]
    assert re.search(r'filename="?riverside-fls-plan-\d{4}-\d{2}-\d{2}\.xlsx', disposition)


# Printed pages in LibreOffice for each document built from the awkward site: the PID's
# 2 to 4 and the needs summary's one page hold even with a 5,000-character paragraph.
PAGE_RANGES = {
    "pid": (2, 4),
    "steering-report": (1, 3),
    "gateway-1": (1, 3),
    "needs-summary": (1, 1),
    "agenda": (1, 2),
    "minutes": (1, 3),
}


def test_documents_print_within_their_page_ranges(login, site_world, awkward, tmp_path) -> None:
    from tests.unit.test_documents_pages import _pages

    site, meeting = awkward["site"], awkward["meeting"]
    client = login(site_world["editor"])
    base = f"/sites/{site.id}"
    urls = _documents(meeting)
    paths = []
    for name, url in urls.items():
        paths.append(tmp_path / f"{name}.docx")
        paths[-1].write_bytes(_get(client, base + url))
    printed = dict(zip(urls, _pages(paths, tmp_path), strict=True))
    for name, (low, high) in PAGE_RANGES.items():
        assert low <= printed[name] <= high, f"{name}: {printed[name]} pages"


def test_kpi_workbook_writes_a_formula_like_site_name_as_text(login, site_world) -> None:
    site = site_world["site"]
    site.name = "=1+1 FLS"
    db.session.commit()
    data = _get(login(site_world["viewer"]), f"/sites/{site.id}/kpis.xlsx")
    about = load_workbook(io.BytesIO(data))["About"]
    assert about["B1"].value == "'=1+1 FLS" and about["B1"].data_type == "s"
