"""Issue #30's faults, each through the pages and documents people use: one set of figures
in every document, the specification's contract header, nations' own audits and wording."""

from __future__ import annotations

import io

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
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


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
