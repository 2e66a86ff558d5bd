"""Business case pages through the test client: costs, bad input, options, route, decision,
specification, the gateway checks and the three downloads."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.business_case.checks import case_approved, funding_route_known, spec_drafted
from app.business_case.models import BusinessCase, CostValue
from app.core.audit import AuditEvent
from app.extensions import db
from app.risks.models import RaidEntry

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)


def _url(site, tail: str = "") -> str:  # noqa: ANN001
    return f"/sites/{site.id}/business-case{tail}"


def _rows(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def _costs(**changes) -> dict:
    data = {"version": "0", "horizon": "10"}
    data.update(changes)
    return data


def test_empty_case_says_what_is_missing(client, login, site_world) -> None:
    site = site_world["site"]
    login(site_world["viewer"])
    html = client.get(_url(site)).get_data(as_text=True)
    assert "cannot be worked out yet" in html
    assert "the expected caseload" in html
    assert "Save costs" not in client.get(_url(site, "/costs")).get_data(as_text=True)


def test_empty_case_message_is_markup_not_escaped_tags(client, login, site_world) -> None:
    site = site_world["site"]
    login(site_world["viewer"])
    html = client.get(_url(site)).get_data(as_text=True)
    assert "&lt;p&gt;" not in html and "&lt;a href" not in html
    assert f'<a href="/sites/{site.id}/needs">Enter them on the needs page</a>' in html


def test_figures_chart_and_options(client, login, site_world, needs_for_case) -> None:
    site = site_world["site"]
    needs_for_case(site)
    login(site_world["viewer"])
    html = client.get(_url(site)).get_data(as_text=True)
    # The answer first: cost, QALYs, cost per QALY, chance cost-effective, break-even.
    answer = html[html.index('id="answer-heading"') : html.index('id="case-heading"')]
    for words in ("Extra cost (discounted)", "QALYs gained (discounted)", "Cost per QALY",
                  "at £20,000 a QALY", "at £30,000 a QALY", "Break-even"):  # fmt: skip
        assert words in answer, words
    assert 'id="tornado-title"' in html and 'id="ceac-title"' in html
    for site_label in ("Hip", "Spine", "Wrist", "Upper arm", "Pelvis", "Other"):
        assert f'<th scope="row" class="nhsuk-table__header">{site_label}</th>' in answer
    assert "not discounted" in answer and "discounted at 3.5%" in answer
    assert "Options appraisal" in html and "Do nothing" in html
    assert "£" in html and "Not worked out" not in html


def test_editor_overrides_a_cost_with_a_reason_and_history_keeps_both(
    client, login, site_world, needs_for_case
) -> None:
    site = site_world["site"]
    needs_for_case(site)
    login(site_world["editor"])
    response = client.post(
        _url(site, "/costs"),
        data=_costs(value_nurse_salary="£52,000", reason_nurse_salary="Trust finance 2025"),
    )
    assert response.status_code == 302
    row = db.session.scalar(select(CostValue))
    assert (row.key, row.value, row.reason) == ("nurse_salary", 52000, "Trust finance 2025")
    version = db.session.scalar(select(BusinessCase.version))
    client.post(
        _url(site, "/costs"),
        data=_costs(
            version=str(version),
            value_nurse_salary="53000",
            reason_nurse_salary="Trust finance 2026",
        ),
    )
    values = db.session.scalars(
        select(AuditEvent.new_value).where(
            AuditEvent.object_type == "business_case_cost", AuditEvent.field == "value"
        )
    ).all()
    old = db.session.scalars(
        select(AuditEvent.old_value).where(
            AuditEvent.object_type == "business_case_cost", AuditEvent.field == "value"
        )
    ).all()
    assert "53000.0" in values and "52000.0" in old
    html = client.get(_url(site, "/costs")).get_data(as_text=True)
    assert "Site&#39;s value" in html or "Site's value" in html
    assert "Agenda for Change" in html  # the default's source is still shown
    history = client.get(f"/sites/{site.id}/history").get_data(as_text=True)
    assert "Specialist nurse salary: the site" in history and "53000.0" in history


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"value_nurse_salary": "5", "reason_nurse_salary": "x"},
            "value_nurse_salary",
            "looks like a typing slip",
        ),
        ({"value_dxa_cost": "-80", "reason_dxa_cost": "x"}, "value_dxa_cost", "cannot be negative"),
        ({"horizon": "25"}, "horizon", "from 5 to 10 years"),
        (
            {"value_discount_rate": "12", "reason_discount_rate": "x"},
            "value_discount_rate",
            "between 0% and 10%",
        ),
        ({"value_discount_rate": "2"}, "reason_discount_rate", "Give a reason"),
        ({"value_it_cost": "lots", "reason_it_cost": "x"}, "value_it_cost", "Enter a number"),
    ],
)
def test_bad_costs_are_refused_and_nothing_is_saved(
    client, login, site_world, changes, field, message
) -> None:
    login(site_world["editor"])
    response = client.post(_url(site_world["site"], "/costs"), data=_costs(**changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert f'href="#{field}"' in html
    assert _rows(CostValue) == 0 and _rows(BusinessCase) == 0


def test_stale_costs_form_is_a_409(client, login, site_world) -> None:
    login(site_world["editor"])
    site = site_world["site"]
    assert client.post(_url(site, "/costs"), data=_costs()).status_code == 302
    assert client.post(_url(site, "/costs"), data=_costs()).status_code == 409


def test_own_option_with_no_cost_is_refused(client, login, site_world, needs_for_case) -> None:
    site = site_world["site"]
    needs_for_case(site)
    login(site_world["editor"])
    data = {
        "version": "0",
        "preferred": "own",
        "own_name": "Volunteers only",
        "own_identification": "50",
        "own_treatment": "50",
        "own_followup": "50",
    }
    response = client.post(_url(site, "/options"), data=data)
    assert response.status_code == 422
    assert "has no staff, so it has no cost" in response.get_data(as_text=True)
    assert _rows(BusinessCase) == 0
    data |= {"own_nurse_wte": "2", "own_admin_wte": "1"}
    assert client.post(_url(site, "/options"), data=data).status_code == 302
    html = client.get(_url(site)).get_data(as_text=True)
    assert "The recommended option: Volunteers only" in html


def test_route_decision_and_specification_answer_the_gateway(
    client, login, site_world, needs_for_case
) -> None:
    site = site_world["site"]
    needs_for_case(site)
    login(site_world["editor"])
    assert not spec_drafted(site)[0] and not case_approved(site)[0]
    route = {
        "version": "0",
        "payer": "Riverside ICB",
        "meeting": "Investment panel, March",
        "deadline": "27/2/2026",
    }
    assert client.post(_url(site, "/route"), data=route).status_code == 302
    met, reason, _link = funding_route_known(site)
    assert not met and "how they decide, when they decide" in reason
    spec = {"version": "1"} | {
        key: f"Our {key} text."
        for key in (
            "aims",
            "location",
            "staffing",
            "identify",
            "investigate",
            "inform",
            "intervene",
            "integrate",
        )
    }
    assert client.post(_url(site, "/specification"), data=spec).status_code == 302
    met, reason, _link = spec_drafted(site)
    assert not met and "quality" in reason
    spec |= {"version": "2", "quality": "Audit and peer review by the QRT."}
    assert client.post(_url(site, "/specification"), data=spec).status_code == 302
    assert spec_drafted(site)[0]
    html = client.get(_url(site)).get_data(as_text=True)
    assert "explain QRT the first time" in html

    bad = {"version": "3", "decided_on": "1/1/2099", "body": "", "outcome": "approved"}
    response = client.post(_url(site, "/decision"), data=bad)
    assert response.status_code == 422
    assert "cannot be in the future" in response.get_data(as_text=True)
    assert _rows(RaidEntry) == 0
    good = {
        "version": "3",
        "decided_on": "3/3/2026",
        "body": "ICB investment panel",
        "outcome": "approved",
        "notes": "Two-year pilot.",
    }
    assert client.post(_url(site, "/decision"), data=good).status_code == 302
    entry = db.session.scalar(select(RaidEntry))
    assert (entry.kind, entry.status, entry.decider) == (
        "decision",
        "agreed",
        "ICB investment panel",
    )
    met, reason, _link = case_approved(site)
    assert met and "03/03/2026" in reason
    gateway = client.get(f"/sites/{site.id}/gateways/4").get_data(as_text=True)
    assert "Approved by ICB investment panel" in gateway


def test_downloads_reopen_with_sections_and_figures(
    client, login, site_world, needs_for_case
) -> None:
    site = site_world["site"]
    needs_for_case(site)
    login(site_world["viewer"])
    response = client.get(_url(site, "/business-case.docx"))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for section in (
        "1. The strategic case",
        "2. The economic case",
        "3. The commercial case",
        "4. The financial case",
        "5. The management case",
    ):
        assert section in headings
    assert doc.inline_shapes  # the chart as a picture
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "200,000 people aged 50 and over" in text
    spec = Document(io.BytesIO(client.get(_url(site, "/service-specification.docx")).data))
    headings = [p.text for p in spec.paragraphs if p.style.name.startswith("Heading")]
    for section in (
        "1. Population needs",
        "2. Outcomes",
        "3. Scope",
        "4. Applicable service standards",
        "5. Applicable quality requirements",
    ):
        assert section in headings
    # Nothing is written yet: those sections are left out, never printed as "Not written
    # yet", and the page lists them as work to do.
    assert "Not written yet" not in "\n".join(p.text for p in spec.paragraphs)
    assert "Location" not in headings and "6. Location of provider premises" not in headings
    header = [row.cells[0].text for row in spec.tables[0].rows]
    for item in ("Service specification number", "Commissioner lead", "Provider lead",
                 "Period", "Date of review"):  # fmt: skip
        assert item in header
    page = client.get(_url(site, "/specification")).get_data(as_text=True)
    assert "Still to write" in page and "<li>Location</li>" in page
    wb = load_workbook(io.BytesIO(client.get(_url(site, "/model.xlsx")).data))
    # The old bed-day "By year" sheet is gone: every figure is the cohort model's.
    assert wb.sheetnames == ["Inputs", "Options", "Cohort model", "Budget", "Evidence"]
    assert str(wb["Budget"]["D2"].value) == "=B2-C2"
    assert wb["Budget"].max_row == 11  # header, 10 years


def test_documents_say_what_is_missing_instead_of_zeros(client, login, site_world) -> None:
    site = site_world["site"]
    login(site_world["viewer"])
    doc = Document(io.BytesIO(client.get(_url(site, "/business-case.docx")).data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "cannot be worked out yet" in text
    assert "£0" not in text


def test_query_counts_do_not_grow_with_data(client, login, site_world, count_queries) -> None:
    from app.business_case import service
    from app.demo import seed_bench

    small, large = seed_bench(1, 30)[0], seed_bench(1, 150)[0]
    service.save_costs(small, {"dxa_cost": (90, "Local price")}, 10)
    service.save_costs(
        large,
        {key: (value, "Local figure") for key, value in (
            ("dxa_cost", 90), ("drug_cost", 70), ("space_cost", 8000), ("it_cost", 3000),
            ("nurse_salary", 50000), ("admin_salary", 25000),
        )},
        10,
    )  # fmt: skip
    for site in (small, large):
        service.save_route(site, {"payer": "ICB", "meeting": "Panel"}, None)
        service.record_decision(site, date(2026, 3, 3), "ICB panel", "approved", "", date.today())
    db.session.commit()
    login(site_world["admin"])
    counts = {}
    for name, site in (("small", small), ("large", large)):
        for tail in ("", "/business-case.docx", "/service-specification.docx", "/model.xlsx"):
            client.get(_url(site, tail))  # warm up
            with count_queries() as queries:
                assert client.get(_url(site, tail)).status_code == 200
            counts[name, tail] = len(queries)
    for tail in ("", "/business-case.docx", "/service-specification.docx", "/model.xlsx"):
        assert counts["small", tail] == counts["large", tail], tail


def test_awkward_text_in_the_case_downloads_cleanly(
    client, login, site_world, needs_for_case
) -> None:
    site = site_world["site"]
    needs_for_case(site)
    awkward = "Tab\x0bhere \U0001f9b4 \u05e9\u05dc\u05d5\u05dd " + "A long paragraph. " * 300
    db.session.add(
        BusinessCase(
            site_id=site.id,
            preferred="own",
            own_name="Nurse\x0bled \U0001f9b4",
            own_identification=60,
            own_treatment=50,
            own_followup=80,
            own_nurse_wte=2,
            payer=awkward,
            allies=awkward,
            aims=awkward,
            identify=awkward,
            quality=awkward,
        )
    )
    db.session.commit()
    login(site_world["viewer"])
    for tail in ("/business-case.docx", "/service-specification.docx", "/model.xlsx"):
        response = client.get(_url(site, tail))
        assert response.status_code == 200, tail
    case = Document(io.BytesIO(client.get(_url(site, "/business-case.docx")).data))
    text = "\n".join(p.text for p in case.paragraphs)
    assert "\x0b" not in text and "\U0001f9b4" in text
