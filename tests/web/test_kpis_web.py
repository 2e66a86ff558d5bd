"""KPI pages: entering, importing, exporting, and what other features read."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.kpis import queries as kpi_queries
from app.kpis import service
from app.kpis.models import KpiValue
from tests.conftest import csrf_token


def _count_values() -> int:
    return db.session.scalar(select(func.count(KpiValue.id)))


@pytest.fixture
def editor_client(site_world, login):  # noqa: ANN001
    return login(site_world["editor"])


def _grid(client, site, period: str, values: dict[int, tuple], **extra):  # noqa: ANN001
    url = f"/sites/{site.id}/kpis/enter"
    data = {"csrf_token": csrf_token(client, url), "period": period, **extra}
    for number, (num, den) in values.items():
        data[f"num_{number}"], data[f"den_{number}"] = str(num), str(den)
    return client.post(url, data=data)


def test_grid_saves_values_and_summary_shows_percentage(editor_client, site_world) -> None:
    site = site_world["site"]
    response = _grid(editor_client, site, "2025-03", {4: (30, 40), 9: (12, 20)})
    assert response.status_code == 302
    page = editor_client.get(f"/sites/{site.id}/kpis").get_data(as_text=True)
    assert "75.0%" in page and "30 of 40" in page and "Mar 2025" in page


@pytest.mark.parametrize(
    "period, values, message",
    [
        ("2025-03", {4: (41, 40)}, "the numerator (41) is more than the denominator (40)"),
        ("2025-03", {4: (-1, 40)}, "the numerator cannot be negative"),
        ("2025-03", {4: ("3.5", 40)}, "must be a whole number"),
        ("2025-03", {4: (3, 0)}, "the denominator must be 1 or more"),
        ("2099-01", {4: (3, 4)}, "Jan 2099 is in the future"),
        ("March", {4: (3, 4)}, "is not a period"),
        ("2025-03", {4: (3, "")}, "enter the denominator"),
    ],
)
def test_grid_rejects_bad_input_and_saves_nothing(
    editor_client, site_world, period, values, message
) -> None:
    response = _grid(editor_client, site_world["site"], period, {9: (5, 10), **values})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page.replace("&#39;", "'")
    assert "There is a problem" in page
    assert _count_values() == 0


def test_negative_numerator_from_the_service_is_refused(site_world) -> None:
    from app.kpis.periods import month

    rows = [service.ValueRow(4, month(2025, 1), -2, 10)]
    with pytest.raises(service.ValuesRejected) as error:
        service.save_values(site_world["site"], rows, replace=False, today=date(2026, 1, 1))
    assert "cannot be negative" in error.value.problems[0].message


def test_duplicate_period_offers_to_replace(editor_client, site_world) -> None:
    site = site_world["site"]
    _grid(editor_client, site, "2025-03", {4: (30, 40)})
    again = _grid(editor_client, site, "Mar 2025", {4: (35, 40)})
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "already recorded (30 of 40)" in page and 'name="replace"' in page
    assert db.session.scalar(select(KpiValue.numerator)) == 30
    replaced = _grid(editor_client, site, "Mar 2025", {4: (35, 40)}, replace="y")
    assert replaced.status_code == 302
    assert db.session.scalar(select(KpiValue.numerator)) == 35


def test_editing_a_period_someone_changed_is_a_409(editor_client, site_world) -> None:
    site = site_world["site"]
    _grid(editor_client, site, "2025-03", {4: (30, 40)})
    form = editor_client.get(f"/sites/{site.id}/kpis/enter?period=2025-03").get_data(as_text=True)
    versions = re.search(r'name="versions" type="hidden" value="([^"]*)"', form).group(1)
    value = db.session.scalar(select(KpiValue))
    value.numerator = 31  # someone else saves in between
    db.session.commit()
    response = _grid(
        editor_client,
        site,
        "2025-03",
        {4: (33, 40)},
        replace="y",
        versions=versions.replace("&#34;", '"').replace("&quot;", '"'),
    )
    assert response.status_code == 409
    assert "Someone else changed this" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(KpiValue.numerator)) == 31


def _upload(client, site, name: str, content: bytes, **extra):  # noqa: ANN001
    url = f"/sites/{site.id}/kpis/import"
    data = {"csrf_token": csrf_token(client, url), "file": (io.BytesIO(content), name), **extra}
    return client.post(url, data=data, content_type="multipart/form-data")


def test_csv_import_saves_every_row(editor_client, site_world) -> None:
    csv_text = "KPI,Period,Numerator,Denominator\n4,2025-01,30,40\nKPI 9,Feb 2025,10,20\n"
    response = _upload(editor_client, site_world["site"], "fls-db.csv", csv_text.encode())
    assert response.status_code == 302
    assert _count_values() == 2


def test_csv_with_an_unknown_kpi_saves_nothing_and_names_the_row(editor_client, site_world) -> None:
    csv_text = (
        "KPI,Period,Numerator,Denominator\n4,2025-01,30,40\nHip tally,2025-01,3,4\n"
        "5,2025-02,50,40\n"
    )
    response = _upload(editor_client, site_world["site"], "fls-db.csv", csv_text.encode())
    assert response.status_code == 422
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert "Row 3: unknown KPI 'Hip tally'" in page
    assert "Row 4: the numerator (50) is more than the denominator (40)" in page
    assert _count_values() == 0


def test_import_duplicates_can_be_replaced_after_confirming(editor_client, site_world) -> None:
    site = site_world["site"]
    _grid(editor_client, site, "2025-01", {4: (30, 40)})
    csv_text = "kpi,period,numerator,denominator\n4,2025-01,32,40\n6,2025-01,20,40\n"
    response = _upload(editor_client, site, "again.csv", csv_text.encode())
    assert response.status_code == 409
    assert _count_values() == 1
    token = re.search(
        r'name="upload_token" value="([0-9a-f]{32})"', response.get_data(as_text=True)
    )
    url = f"/sites/{site.id}/kpis/import"
    confirm = editor_client.post(
        url,
        data={"csrf_token": csrf_token(editor_client, url), "upload_token": token.group(1),
              "replace": "y"},
    )  # fmt: skip
    assert confirm.status_code == 302
    assert _count_values() == 2
    assert db.session.scalar(select(KpiValue.numerator).where(KpiValue.kpi_number == 4)) == 32


def test_xlsx_export_reopens_and_imports_again(editor_client, site_world, add_kpi_values) -> None:
    site = site_world["site"]
    add_kpi_values(site, 9, [40, 50, 60])
    response = editor_client.get(f"/sites/{site.id}/kpis.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("KPI", "Period", "Numerator", "Denominator", "Percentage")
    assert rows[1][:5] == (9, datetime(2023, 1, 1), 40, 100, 40.0)  # a real date
    reimport = _upload(editor_client, site, "kpis.xlsx", response.data, replace="y")
    assert reimport.status_code == 302


def test_detail_page_has_chart_table_and_svg_download(editor_client, site_world, add_kpi_values):
    site = site_world["site"]
    add_kpi_values(site, 9, [40, 42, 38, 41, 39, 43, 40, 60, 61, 62, 63, 64, 65])
    page = editor_client.get(f"/sites/{site.id}/kpis/9").get_data(as_text=True)
    assert 'role="img"' in page and "kpi-median" in page and "kpi-target" in page
    assert "Improving: 6 points above the median" in page
    assert "Values by period" in page and "How to read these charts" in page
    svg = editor_client.get(f"/sites/{site.id}/kpis/9.svg")
    assert svg.mimetype == "image/svg+xml" and b"kpi-signal" in svg.data


@pytest.mark.parametrize("path", ["/kpis", "/kpis/9", "/kpis/9?view=xmr", "/"])
def test_pages_run_a_fixed_number_of_queries(
    editor_client, site_world, add_kpi_values, count_queries, path
) -> None:
    site, other = site_world["site"], site_world["other_site"]
    url = f"/sites/{site.id}{path}"
    add_kpi_values(site, 9, [50 + (i % 7) for i in range(12)])
    with count_queries() as small:
        assert editor_client.get(url).status_code == 200
    add_kpi_values(other, 9, [50] * 12)
    for number in range(1, 12):
        add_kpi_values(site, number, [40 + (i % 9) for i in range(120)], start=date(2010, 1, 1))
    with count_queries() as large:
        assert editor_client.get(url).status_code == 200
    assert len(large) == len(small)


def test_kpi_summary_for_the_steering_report(site_world, add_kpi_values) -> None:
    site = site_world["site"]
    add_kpi_values(site, 9, [40, 42, 38, 41, 39, 43, 40, 60, 61, 62, 63, 64, 85])
    series = kpi_queries.all_series(site.id)
    rows = {row.kpi.number: row for row in map(kpi_queries.summary_row, series)}
    assert len(rows) == 11
    row = rows[9]
    assert row.latest == 85 and row.change == pytest.approx(21)
    assert row.target == 80 and row.target_met is True and row.met_text == "Met"
    assert row.mood == "improving" and "6 points above the median" in row.signal
    assert rows[4].points == 0 and rows[4].signal == "No values yet"


def test_kpis_recorded_for_gateways(app, site_world, add_kpi_values) -> None:
    site = site_world["site"]
    with app.test_request_context():
        ok, reason, link = kpi_queries.kpis_recorded(site, today=date(2026, 3, 10))
        assert not ok and "No KPI values" in reason and link == f"/sites/{site.id}/kpis"
        add_kpi_values(site, 9, [40, 50], start=date(2025, 1, 1))
        ok, reason, _ = kpi_queries.kpis_recorded(site, today=date(2026, 3, 10))
        assert not ok and "Feb 2025" in reason
        add_kpi_values(site, 9, [55], start=date(2026, 2, 1))
        ok, reason, _ = kpi_queries.kpis_recorded(site, today=date(2026, 3, 10))
        assert ok and "Feb 2026" in reason


def test_targets_are_saved_and_checked(editor_client, site_world) -> None:
    site = site_world["site"]
    url = f"/sites/{site.id}/kpis/targets"
    bad = editor_client.post(
        url, data={"csrf_token": csrf_token(editor_client, url), "target_4": "120"}
    )
    assert bad.status_code == 422
    ok = editor_client.post(
        url, data={"csrf_token": csrf_token(editor_client, url), "target_4": "85%"}
    )
    assert ok.status_code == 302
    assert service.targets_for(site.id) == {4: 85.0}


def test_deleting_a_period_asks_first(editor_client, site_world, add_kpi_values) -> None:
    site = site_world["site"]
    add_kpi_values(site, 9, [40, 50])
    url = f"/sites/{site.id}/kpis/periods/2023-01/delete"
    assert "Delete the KPI values for Jan 2023?" in editor_client.get(url).get_data(as_text=True)
    assert _count_values() == 2
    editor_client.post(url, data={"csrf_token": csrf_token(editor_client, url)})
    assert _count_values() == 1


def test_overview_panel_lists_kpis_with_signals(editor_client, site_world, add_kpi_values) -> None:
    site = site_world["site"]
    empty = editor_client.get(f"/sites/{site.id}/").get_data(as_text=True)
    assert "No KPI values yet" in empty
    add_kpi_values(site, 9, [40, 42, 38, 41, 39, 43, 40, 60, 61, 62, 63, 64, 65])
    page = editor_client.get(f"/sites/{site.id}/").get_data(as_text=True)
    assert "Follow-up by 16 weeks" in page and "Improving" in page
