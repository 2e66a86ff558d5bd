"""Downloads hold what a reader expects: text where text is expected, real dates."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook

from app.extensions import db
from app.risks.models import Mitigation, RaidEntry
from tests.conftest import sign_in


def _sheet(client, url: str):  # noqa: ANN001, ANN202
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(BytesIO(response.data)).active


def test_risks_workbook_lists_the_mitigations_text(site_world, client) -> None:
    site = site_world["site"]
    entry = RaidEntry(site_id=site.id, kind="risk", title="No nurse", likelihood=4, impact=5)
    db.session.add(entry)
    db.session.flush()
    db.session.add_all(
        [
            Mitigation(site_id=site.id, entry_id=entry.id, description="Business case to the ICB"),
            Mitigation(site_id=site.id, entry_id=entry.id, description="Borrow a nurse", done=True),
        ]
    )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    sheet = _sheet(client, f"/sites/{site.id}/risks.xlsx")
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Mitigations"] == "Business case to the ICB; Borrow a nurse (done)"


def test_people_workbook_holds_the_date_added_as_a_date(site_world, client) -> None:
    from app.people.models import Person

    site = site_world["site"]
    db.session.add(Person(site_id=site.id, name="Ann Other", added_on=date(2026, 3, 27)))
    db.session.commit()
    sign_in(client, site_world["editor"])
    sheet = _sheet(client, f"/sites/{site.id}/people.xlsx")
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Date added") + 1)
    assert cell.value == datetime(2026, 3, 27) and cell.number_format == "DD/MM/YYYY"


def test_kpi_workbook_holds_months_as_dates_and_imports_again(site_world, client) -> None:
    from app.kpis.imports import read_rows
    from app.kpis.models import KpiValue

    site = site_world["site"]
    db.session.add(
        KpiValue(
            site_id=site.id,
            kpi_number=2,
            period_start=date(2026, 3, 1),
            numerator=30,
            denominator=100,
        )
    )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    response = client.get(f"/sites/{site.id}/kpis.xlsx")
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet["B2"].value == datetime(2026, 3, 1) and sheet["B2"].number_format == "MMM YYYY"
    rows, problems = read_rows("kpis.xlsx", response.data)
    assert not problems and rows[0].period.key == "2026-03"


def test_needs_workbook_stores_a_value_beside_every_formula(site_world, client, save_needs) -> None:
    from app.needs.inputs import Admissions, NeedsInputs

    site = site_world["site"]
    save_needs(
        site,
        NeedsInputs(population_total=184_000, admissions={"hip": Admissions(400, 20, 400)}),
    )
    sign_in(client, site_world["viewer"])
    response = client.get(f"/sites/{site.id}/needs.xlsx")
    sheet = load_workbook(BytesIO(response.data))["Results"]
    header = [c.value for c in sheet[1]]
    assert header[4] == "Value (stored)"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    formulas = [r for r in rows if str(r[1]).startswith("=")]
    assert len(formulas) == 21
    assert all(isinstance(r[4], (int, float)) for r in formulas), [r[0] for r in formulas]
    by_label = {r[0]: r for r in rows}
    assert by_label["Expected fragility fracture caseload a year"][4] == 2000


def test_every_site_download_is_named_site_document_date(site_world, client) -> None:
    import re

    from app.people.models import Person

    site = site_world["site"]
    person = Person(site_id=site.id, name="Ann Other")
    db.session.add(person)
    db.session.commit()
    sign_in(client, site_world["manager"])
    base = f"/sites/{site.id}"
    for path, document in [
        ("/plan.xlsx", "plan"),
        ("/risks.xlsx", "raid-log"),
        ("/business-case/business-case.docx", "business-case"),
        ("/business-case/service-specification.docx", "service-specification"),
        ("/business-case/model.xlsx", "business-case-model"),
        (f"/people/{person.id}/data.json", f"person-{person.id}"),
    ]:
        response = client.get(base + path)
        assert response.status_code == 200, path
        disposition = response.headers["Content-Disposition"]
        ext = path.rsplit(".", 1)[1]
        pattern = rf'filename="?riverside-fls-{document}-\d{{4}}-\d{{2}}-\d{{2}}\.{ext}"?$'
        assert re.search(pattern, disposition), disposition
