"""Hostile and broken uploads to the three imports (people, KPI values, plan workbook):
each answers 422 with a plain message, quickly, and saves nothing."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.kpis.models import KpiValue
from app.people.models import Person
from app.plan.models import Task

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)

IMPORTS = {  # url, form field, the rows it would add
    "people": ("/people/import", "file", Person),
    "kpis": ("/kpis/import", "file", KpiValue),
    "plan": ("/plan/import", "workbook", Task),
}


def _xlsx_parts() -> dict[str, bytes]:
    book = Workbook()
    book.active.append(["Name", "Phase", "Task", "Status", "KPI", "Period"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A small workbook whose one sheet unzips to more than 50 MB of rows."""
    parts = _xlsx_parts()
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 200 + b"</t></is></c></row>"
    rows = row * (55 * 1024 * 1024 // len(row))
    parts["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows + b"</sheetData></worksheet>"
    )
    return _rezip(parts)


def wide_row() -> bytes:
    """A small workbook whose first row has half a million cells (slow to parse one by one)."""
    parts = _xlsx_parts()
    cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
    parts["xl/worksheets/sheet1.xml"] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData><row>" + cell * 500_000 + b"</row></sheetData></worksheet>"
    )
    return _rezip(parts)


def many_strings() -> bytes:
    """A small workbook with half a million shared strings, which openpyxl loads up front."""
    parts = _xlsx_parts()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ).encode()
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>x</t></si>" * 500_000
        + b"</sst>"
    )
    return _rezip(parts)


def malformed_sheet() -> bytes:
    parts = _xlsx_parts()
    parts["xl/worksheets/sheet1.xml"] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="n"><v>not a number</v></c><row>'
    )
    return _rezip(parts)


def sheetless() -> bytes:
    parts = _xlsx_parts()
    workbook = parts["xl/workbook.xml"].decode()
    start, end = workbook.index("<sheets>"), workbook.index("</sheets>") + len("</sheets>")
    parts["xl/workbook.xml"] = (workbook[:start] + "<sheets/>" + workbook[end:]).encode()
    del parts["xl/worksheets/sheet1.xml"]
    return _rezip(parts)


@pytest.fixture(scope="module")
def hostile() -> dict[str, bytes]:
    return {
        "bomb": zip_bomb(),
        "wide": wide_row(),
        "strings": many_strings(),
        "malformed": malformed_sheet(),
        "sheetless": sheetless(),
    }


@pytest.mark.parametrize("feature", IMPORTS)
@pytest.mark.parametrize(
    "kind, message",
    [
        ("bomb", "too large once opened"),
        ("wide", "too large once opened"),
        ("strings", "too large once opened"),
        ("malformed", "could not be read"),
        ("sheetless", "no sheets"),
    ],
)
def test_hostile_workbooks_get_422_quickly(
    login, site_world, make_plan, hostile, feature, kind, message
) -> None:
    site = site_world["site"]
    if feature == "plan":
        make_plan(site)
    url, field, model = IMPORTS[feature]
    before = db.session.scalar(select(func.count(model.id)))
    data = hostile[kind]
    assert len(data) < 1024 * 1024
    client = login(site_world["editor"])
    started = time.monotonic()
    response = client.post(
        f"/sites/{site.id}{url}",
        data={field: (io.BytesIO(data), f"{feature}.xlsx")},
        content_type="multipart/form-data",
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert elapsed < 5
    assert db.session.scalar(select(func.count(model.id))) == before


def test_rows_are_counted_while_reading(login, site_world) -> None:
    """A CSV one row over the limit is refused with the limit in the message."""
    site = site_world["site"]
    content = "KPI,Period,Numerator,Denominator\n" + "4,2025-01,1,2\n" * 5001
    response = login(site_world["editor"]).post(
        f"/sites/{site.id}/kpis/import",
        data={"file": (io.BytesIO(content.encode()), "big.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "more than 5,000 rows" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(KpiValue.id))) == 0


def sparse_sheet() -> bytes:
    """About 1.6 KB: a header row, then one row numbered 10,000,000 (no declared dimension).
    openpyxl hands over every empty row between them unless the reader stops it."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    headings = "".join(
        f'<c r="{column}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for column, text in zip(
            "ABCDEF", ["Name", "KPI", "Period", "Phase", "Task", "Status"], strict=True
        )
    )
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship '
        f'Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets><sheet '
        'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>'
        f'<row r="1">{headings}</row><row r="10000000"><c r="A10000000" t="inlineStr">'
        "<is><t>x</t></is></c></row></sheetData></worksheet>",
    }
    return _rezip({name: text.encode() for name, text in parts.items()})


@pytest.mark.parametrize("feature", IMPORTS)
def test_a_sparse_sheet_of_ten_million_rows_gets_422_within_two_seconds(
    login, site_world, make_plan, feature
) -> None:
    site = site_world["site"]
    if feature == "plan":
        make_plan(site)
    url, field, model = IMPORTS[feature]
    before = db.session.scalar(select(func.count(model.id)))
    data = sparse_sheet()
    assert len(data) < 2048
    client = login(site_world["editor"])
    started = time.monotonic()
    response = client.post(
        f"/sites/{site.id}{url}",
        data={field: (io.BytesIO(data), f"{feature}.xlsx")},
        content_type="multipart/form-data",
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 422
    assert "The file has rows down to row 10,000,000" in response.get_data(as_text=True)
    assert elapsed < 2
    assert db.session.scalar(select(func.count(model.id))) == before
