"""The plan workbook: out, edited in a spreadsheet, back in; bad files change nothing."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from app.core.dates import today
from app.extensions import db
from app.plan.models import Task
from tests.conftest import csrf_token


@pytest.fixture
def planned(site_world, make_plan, make_person):  # noqa: ANN001, ANN201
    site = site_world["site"]
    make_plan(site)
    make_person(site, "Olivia Owner")
    return site


def _export(client, site) -> openpyxl.Workbook:  # noqa: ANN001
    response = client.get(f"/sites/{site.id}/plan.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def _upload(client, site, book_or_bytes, name="plan.xlsx"):  # noqa: ANN001, ANN202
    if isinstance(book_or_bytes, bytes):
        data = book_or_bytes
    else:
        out = io.BytesIO()
        book_or_bytes.save(out)
        data = out.getvalue()
    url = f"/sites/{site.id}/plan/import"
    return client.post(
        url,
        data={"workbook": (io.BytesIO(data), name), "csrf_token": csrf_token(client, url)},
        content_type="multipart/form-data",
    )


def _tasks(site) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count(Task.id)).where(Task.site_id == site.id))


def test_export_shape(login, site_world, planned, make_task) -> None:
    evil = make_task(
        planned, title='=HYPERLINK("http://evil")', due_date=today() - timedelta(days=1)
    )
    sheet = _export(login(site_world["viewer"]), planned).active
    headers = [c.value for c in sheet[1]]
    assert headers[:8] == ["ID", "Phase", "Task", "Owner", "Start", "Due", "Status", "RAG"]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["C"].width == 60
    last = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == evil.id)
    assert sheet.cell(last, 3).value.startswith("'=")  # escaped, never a formula
    assert sheet.cell(last, 8).value == "Red"
    assert sheet.cell(last, 8).fill.fgColor.rgb == "FFD5281B"


def test_round_trip_changes_due_date_and_adds_task(login, site_world, planned) -> None:
    client = login(site_world["editor"])
    book = _export(client, planned)
    sheet = book.active
    task_id = sheet.cell(2, 1).value
    sheet.cell(2, 6).value = date(2027, 1, 29)
    sheet.cell(2, 4).value = "Olivia Owner"
    sheet.append(
        [
            None,
            "Phase 3: Measure and Understand",
            "Count last year's hip fractures",
            "",
            "1/2/2027",
            "28/2/2027",
            "Not started",
        ]
    )
    before = _tasks(planned)
    preview = _upload(client, planned, book)
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "1 tasks will be added and 1 changed" in text and "29 Jan 2027" in text
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', text).group(1)
    assert _tasks(planned) == before  # nothing saved before confirming
    done = client.post(
        f"/sites/{planned.id}/plan/import/confirm",
        data={"token": token, "csrf_token": csrf_token(client, f"/sites/{planned.id}/plan")},
    )
    assert done.status_code == 302
    assert _tasks(planned) == before + 1
    assert db.session.get(Task, task_id).due_date == date(2027, 1, 29)
    history = client.get(f"/sites/{planned.id}/tasks/{task_id}").get_data(as_text=True)
    assert "29 Jan 2027" in history and "Olivia Owner" in history


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (2, "Phase 9: Nowhere", "Unknown phase"),
        (6, "31/13/2026", "A date could not be read"),
        (6, "1/1/2000", "due date is before the start date"),
        (4, "Nobody We Know", "is not one of this site"),
        (3, "", "no title"),
    ],
)
def test_any_bad_row_blocks_the_import(login, site_world, planned, column, value, reason) -> None:
    client = login(site_world["editor"])
    book = _export(client, planned)
    sheet = book.active
    sheet.cell(2, 6).value = date(2030, 1, 1)  # a valid change that must not be saved
    sheet.cell(3, column).value = value
    response = _upload(client, planned, book)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Row 3:" in text and reason in text
    assert db.session.get(Task, sheet.cell(2, 1).value).due_date != date(2030, 1, 1)


def test_not_a_workbook(login, site_world, planned) -> None:
    client = login(site_world["editor"])
    for data, name, message in [
        (b"name,phase\nx,1\n", "plan.csv", "must be an Excel workbook"),
        (b"PK\x03\x04 broken", "plan.xlsx", "could not be read"),
    ]:
        response = _upload(client, planned, data, name)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


@pytest.mark.app_config(MAX_CONTENT_LENGTH=10 * 1024 * 1024)
def test_twenty_megabytes_is_413(login, site_world, planned) -> None:
    client = login(site_world["editor"])
    url = f"/sites/{planned.id}/plan/import"
    # The body is refused on its declared length, before anything is read or stored.
    response = client.post(
        url,
        data=b"0" * (20 * 1024 * 1024),
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 413
    assert "smaller than 10 MB" in response.get_data(as_text=True)
