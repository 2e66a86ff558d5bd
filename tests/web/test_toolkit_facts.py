"""Toolkit facts the app states, one test per defect: dates, coverage, nations, wording, sources."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.needs.assumptions import default_assumptions
from app.needs.models import NeedsVersion
from app.plan.models import Task
from app.plan.service import create_plan
from app.toolkit import get_toolkit
from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parents[2]


def test_2014_standards_are_labelled_with_their_date_not_as_current_ros(
    client, login, site_world
) -> None:
    toolkit = get_toolkit()
    assert "2014" in toolkit.standards_source and "National Osteoporosis Society" in (
        toolkit.standards_source
    )
    login(site_world["viewer"])
    page = client.get("/toolkit").get_data(as_text=True)
    assert "Clinical standards for fracture liaison services (2014)" in page
    assert "2014" in page.split('data-testid="standards-source"')[1].split("</p>")[0]
    titles = " ".join(t.title + " " + t.guidance for t in toolkit.tasks)
    assert "ROS standard" not in titles and "ROS clinical standard" not in titles


def test_fls_db_covers_england_wales_and_northern_ireland() -> None:
    meaning = get_toolkit().glossary_by_term["fls-db"].meaning
    assert "England, Wales and Northern Ireland" in meaning


def _plan_titles(make_site, nation: str) -> list[str]:  # noqa: ANN001
    site = make_site(nation=nation)
    create_plan(site, "new", date(2026, 1, 5))
    db.session.commit()
    return sorted(db.session.scalars(select(Task.title).where(Task.site_id == site.id)))


def test_scottish_sites_get_no_fls_db_tasks(make_site) -> None:
    english = _plan_titles(make_site, "England")
    scottish = _plan_titles(make_site, "Scotland")
    assert any("FLS-DB" in title for title in english)
    assert not any("FLS-DB" in title for title in scottish)
    assert len(scottish) < len(english)
    assert _plan_titles(make_site, "Northern Ireland") == english


def test_scottish_sites_get_no_fls_db_national_figures(
    client, login, site_world, add_kpi_values
) -> None:
    site = site_world["site"]
    add_kpi_values(site, 2, [60, 65, 70])  # the KPI table shows once there are values
    login(site_world["viewer"])
    english = client.get(f"/sites/{site.id}/kpis").get_data(as_text=True)
    assert "National 2021" in english
    site.nation = "Scotland"
    db.session.commit()
    scottish = client.get(f"/sites/{site.id}/kpis").get_data(as_text=True)
    assert "National 2021" not in scottish and "not Scotland" in scottish
    detail = client.get(f"/sites/{site.id}/kpis/2").get_data(as_text=True)
    assert "the FLS-DB does not cover Scotland" in detail


def test_lower_leg_fractures_can_be_entered(client, login, site_world) -> None:
    site = site_world["site"]
    login(site_world["editor"])
    form = client.get(f"/sites/{site.id}/needs?show=inputs").get_data(as_text=True)
    assert 'name="adm_lower_leg_count"' in form
    data = {
        "base_version": "0",
        "population_total": "184,000",
        "adm_hip_count": "400",
        "adm_hip_los_days": "20",
        "adm_lower_leg_count": "37",
        "adm_lower_leg_los_days": "6",
        "change": "Lower leg",
        "csrf_token": csrf_token(client, f"/sites/{site.id}/needs"),
    }
    assert client.post(f"/sites/{site.id}/needs", data=data).status_code == 302
    version = db.session.scalar(select(NeedsVersion).where(NeedsVersion.site_id == site.id))
    assert '"lower_leg"' in version.data and "37" in version.data
    page = client.get(f"/sites/{site.id}/needs?show=inputs").get_data(as_text=True)
    assert "Lower leg or ankle" in page and 'value="37"' in page


def test_pid_task_says_2_to_4_pages() -> None:
    guidance = get_toolkit().tasks_by_key["draft-pid"].guidance
    assert "2 to 4 pages" in guidance and "one or two pages" not in guidance


def test_needs_figures_say_from_five_years_of_patients() -> None:
    for name in ("needs/_scenario_table.html", "needs/index.html", "needs/method.html"):
        text = (ROOT / "templates" / name).read_text()
        assert "prevented (5 years)" not in text and "prevented over 5 years</th>" not in text
    assert "from five years of patients" in (ROOT / "templates/needs/index.html").read_text()


def test_planning_values_are_not_called_published() -> None:
    export = (ROOT / "app/needs/export.py").read_text()
    assert "published defaults" not in export
    for item in default_assumptions().values():
        assert "published default" not in item.meaning.lower()


SEED_NAME = re.compile(r"seed 0\d\d|\(seed|\b00[0-4]_[0-9a-f…]")


def test_pages_and_workbooks_cite_titles_not_seed_file_names() -> None:
    for item in default_assumptions().values():
        assert not SEED_NAME.search(item.citation), item.citation
    for path in (ROOT / "templates").rglob("*.html"):
        assert not SEED_NAME.search(path.read_text()), path
