"""Issue #30's faults, each through the pages and documents people use: one set of figures
in every document, the specification's contract header, nations' own audits and wording."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from docx import Document
from sqlalchemy import func, select

from app.business_case.models import BusinessCase
from app.extensions import db

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)


def _url(site, tail: str = "") -> str:  # noqa: ANN001
    return f"/sites/{site.id}/business-case{tail}"


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    rows = [" | ".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    return "\n".join([p.text for p in doc.paragraphs] + rows)


def test_contract_header_is_saved_and_bad_dates_are_refused(client, login, site_world) -> None:
    site = site_world["site"]
    login(site_world["editor"])
    data = {
        "version": "0",
        "contract_number": "RDICB-FLS-001",
        "commissioner_lead": "Jo Smith, head of planned care",
        "provider_lead": "Dr Tom Evans",
        "contract_start": "1/4/2027",
        "contract_end": "31/3/2029",
        "review_date": "1/6/2029",
    }
    response = client.post(_url(site, "/specification"), data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Review the service before the contract ends." in html
    assert 'value="RDICB-FLS-001"' in html  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(BusinessCase)) == 0
    data["review_date"] = "1/10/2028"
    assert client.post(_url(site, "/specification"), data=data).status_code == 302
    text = _docx_text(client.get(_url(site, "/service-specification.docx")).data)
    for shown in ("RDICB-FLS-001", "Jo Smith, head of planned care", "1 Apr 2027 to 31 Mar 2029",
                  "1 Oct 2028"):  # fmt: skip
        assert shown in text, shown


DOCUMENTS = {
    "pid": "/documents/pid.docx",
    "report": "/documents/steering-report.docx",
    "case": "/business-case/business-case.docx",
    "spec": "/business-case/service-specification.docx",
    "gateway": "/gateways/gateway-4.docx",
    "needs_summary": "/needs-summary.docx",
}


def _documents(client, site) -> dict[str, str]:  # noqa: ANN001
    texts = {}
    for key, tail in DOCUMENTS.items():
        response = client.get(f"/sites/{site.id}{tail}")
        assert response.status_code == 200, (site.name, key)
        texts[key] = _docx_text(response.data)
        # What the document says, without its tables of sources (citations, not statements).
        texts[f"{key}_prose"] = "\n".join(
            p.text for p in Document(io.BytesIO(response.data)).paragraphs
        )
    needs = client.get(f"/sites/{site.id}/needs?show=results")
    texts["needs"] = needs.get_data(as_text=True)
    overview = client.get(f"/sites/{site.id}/").get_data(as_text=True)
    texts["overview"] = unescape(re.sub(r"<[^>]+>", "", overview))
    return texts


def test_every_document_states_the_same_figures(app, make_user) -> None:  # noqa: ANN001
    """Riverside's PID said 170 hip fractures prevented and its case 87; its report asked
    for 1.0 WTE and its case for 3.0 WTE; Glenmoor's specification said 2.8 + 1.0 WTE and
    80% for spine identification where its case said 3.0 + 1.5 and its target is 40%, and
    1,880 fractures a year against 1,885. The overview and the portfolio showed the needs
    model's hip fractures "from five years of patients". Now each figure comes from one
    place."""
    from app.core.dates import today
    from app.demo import seed_bench, seed_demo
    from app.needs.figures import figures_for
    from app.portfolio.service import portfolio_rows
    from tests.conftest import sign_in

    ctx = seed_demo()
    generated = seed_bench(1, 12)[0]
    db.session.commit()
    client = app.test_client()
    admin = make_user(global_role="admin")
    sign_in(client, admin)
    portfolio = {row.site_id: row for row in portfolio_rows(admin.id, today(), 30)}
    checked = 0
    hips_stated = 0
    overviews = []
    for site in [*ctx.sites.values(), generated]:
        f = figures_for(site)
        docs = _documents(client, site)
        # The portfolio states each site's hip fractures as its documents do.
        stated = None if f.hip_prevented is None else round(f.hip_prevented)
        assert portfolio[site.id].hip_fractures_prevented_5y == stated, site.name
        hips_stated += stated or 0
        overviews.append(docs["overview"])
        if f.patients_a_year:
            for key in ("pid", "case", "spec"):
                assert f.patients_display in docs[key], (site.name, key)
            # No other count of fractures a year is printed anywhere.
            pattern = r"about ([\d,]+) fragility fractures a year among|fractures a year: ([\d,]+)"
            counts = {a or b for d in ("case", "spec") for a, b in re.findall(pattern, docs[d])}
            assert counts == {f.patients_display}, (site.name, counts)
        if f.staffing_words:
            for key in ("case", "spec"):
                assert f.staffing_words in docs[key], (site.name, key)
            pattern = r"(\d+\.\d) WTE (?:band 7 )?nurses"
            nurses = {
                m
                for d in ("case", "spec", "report", "gateway")
                for m in re.findall(pattern, docs[d])
            }
            assert nurses == {f"{f.nurse_wte:.1f}"}, (site.name, nurses)
        if f.prevented_words:
            for key in ("pid", "case", "spec", "needs", "overview", "needs_summary"):
                # (from its second letter: a table cell starts it with a capital)
                assert f.prevented_words[1:] in docs[key].replace("&#39;", "'"), (site.name, key)
        if f.ask_words:
            for key in ("case", "report", "gateway", "overview"):
                assert f.ask_words in docs[key], (site.name, key)
            checked += 1
        # The spine target: the site's own where it set one (Glenmoor 40%), in the
        # specification as in the report.
        assert f"3 | Identification (spine fractures) | {f.targets[3]:g}%" in docs["spec"]
        words = f.words
        for key in ("case_prose", "spec_prose", "spec"):
            if words.fls_db:
                assert "Scottish Hip Fracture Audit" not in docs[key]
            else:  # Scotland: its own audit, never "send every record to FLS-DB"
                assert "(FLS-DB)" not in docs[key]
                assert "National Hip Fracture Database" not in docs[key]
        if not words.fls_db:
            for phase in range(1, 7):  # every gateway record names Scotland's own audit
                record = client.get(f"/sites/{site.id}/gateways/gateway-{phase}.docx").data
                assert "FLS-DB" not in _docx_text(record) and "NHFD" not in _docx_text(record)
            assert "Scottish Hip Fracture Audit" in docs["case_prose"]
            assert "NHS Scotland Agenda for Change" in docs["case_prose"]
    assert checked >= 2  # Riverside and Glenmoor at least have every figure
    assert not any("five years of patients" in text for text in overviews)
    html = client.get("/portfolio").get_data(as_text=True)
    assert f'id="headline-hips">{hips_stated:,}<' in html
    assert "over each site's business case horizon" in unescape(html)


def test_costs_page_shows_every_default_with_its_source_and_price_year(
    client, login, site_world
) -> None:
    """The costs page cited 'standard 9 (2019)', a 2014 numbering; dxa_share called KPI 5 the
    share of patients scanned; the cohort model's evidence had no page."""
    from app.business_case.costs import default_costs
    from app.business_case.economics import economics

    login(site_world["viewer"])
    html = client.get(_url(site_world["site"], "/costs")).get_data(as_text=True)
    html = html.replace("&#39;", "'")
    for item in default_costs().values():
        assert item.citation in html, item.key
        if item.price_year:
            assert f"{item.price_year} prices" in html
    for parameter in economics().parameters.values():
        assert parameter.citation in html, parameter.key
    assert "standard 9 on competencies" not in html
    assert "2014 numbering" in html
    assert "32% of patients had a scan" not in html
    assert "ordered or recommended" in html  # what KPI 5 actually counts
    assert "brought to 2024/25 prices" in html


def test_adherence_assumption_does_not_divide_kpi_11_by_kpi_10() -> None:
    """KPI 11 counts patients first seen a year before KPI 10's: their ratio means nothing."""
    from app.business_case.economics import economics
    from app.needs.assumptions import default_assumptions

    reviewed = default_assumptions()["adherence_reviewed"]
    assert "against 32% who started" not in reviewed.meaning
    assert "cannot be divided by KPI 10" in reviewed.meaning
    assert (
        "cannot be divided by KPI 10" in economics().parameters["persistence_12m_followed"].source
    )


def test_the_user_chooses_ten_years_or_a_lifetime(
    client, login, site_world, needs_for_case
) -> None:
    site = site_world["site"]
    needs_for_case(site)
    login(site_world["editor"])
    html = client.get(_url(site)).get_data(as_text=True)
    assert "followed over 10 years" in html
    data = {"version": "0", "horizon": "10", "lifetime": "y"}
    assert client.post(_url(site, "/costs"), data=data).status_code == 302
    html = client.get(_url(site)).get_data(as_text=True)
    assert "followed over patients&#39; lifetimes (25 years)" in html
    assert (
        "Budget impact by year" in html
        and '<th scope="row" class="nhsuk-table__header">10</th>' in html
    )


def test_a_scottish_site_is_costed_on_scotlands_pay_scales(client, login, site_world) -> None:
    """Glenmoor's consultant was costed on England's scale."""
    from app.business_case import service

    site = site_world["site"]
    site.nation = "Scotland"
    db.session.commit()
    costs = service.load(site).appraisal.costs
    assert costs["session_cost"] == 12476 and costs["nurse_salary"] == 52768
    login(site_world["viewer"])
    html = client.get(_url(site, "/costs")).get_data(as_text=True)
    assert "NHS Scotland consultant pay scale 2024/25" in html
    assert "NHS consultant pay scales in England" not in html
    site.nation = "England"
    db.session.commit()
    assert service.load(site).appraisal.costs["session_cost"] == 12269
