"""Uploaded plan workbooks wait in the database, so any worker can confirm them."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.core.dates import utcnow
from app.extensions import db
from app.plan.models import PendingImport, Task
from app.plan.pending import purge_expired
from tests.conftest import csrf_token


@pytest.fixture
def planned(site_world, make_plan):  # noqa: ANN001, ANN201
    make_plan(site_world["site"])
    return site_world["site"]


def _preview_token(client, site) -> str:  # noqa: ANN001
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/sites/{site.id}/plan.xlsx").data))
    book.active.append(
        [
            None,
            "Phase 3: Measure and Understand",
            "Count hip fractures",
            "",
            "1/2/2027",
            "28/2/2027",
            "Not started",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    url = f"/sites/{site.id}/plan/import"
    preview = client.post(
        url,
        data={
            "workbook": (io.BytesIO(out.getvalue()), "plan.xlsx"),
            "csrf_token": csrf_token(client, url),
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    return re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', preview.text).group(1)


def _confirm(client, site, token: str):  # noqa: ANN001, ANN202
    return client.post(
        f"/sites/{site.id}/plan/import/confirm",
        data={"token": token, "csrf_token": csrf_token(client, f"/sites/{site.id}/plan")},
    )


def _tasks(site) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count(Task.id)).where(Task.site_id == site.id))


def test_upload_waits_in_the_database_not_on_disk(app, login, site_world, planned) -> None:
    client = login(site_world["editor"])
    token = _preview_token(client, planned)
    waiting = db.session.scalar(select(PendingImport).where(PendingImport.token == token))
    assert waiting is not None and waiting.site_id == planned.id and waiting.content
    assert not list(Path(app.instance_path).glob("plan-imports/*"))
    before = _tasks(planned)
    assert _confirm(client, planned, token).status_code == 302
    assert _tasks(planned) == before + 1
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0  # used once


def test_a_day_old_upload_has_expired_and_imports_nothing(login, site_world, planned) -> None:
    client = login(site_world["editor"])
    token = _preview_token(client, planned)
    before = _tasks(planned)
    # The upload was made 25 hours ago (the session itself would have ended by then).
    waiting = db.session.scalar(select(PendingImport).where(PendingImport.token == token))
    waiting.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    response = _confirm(client, planned, token)
    assert response.status_code == 302 and response.location.endswith("/plan/import")
    assert _tasks(planned) == before


def test_another_sites_token_is_not_found(login, site_world, planned, make_plan) -> None:
    client = login(site_world["editor"])
    token = _preview_token(client, planned)
    other = site_world["other_site"]
    db.session.add(PendingImport(token="f" * 32, site_id=other.id, content=b"x"))
    db.session.commit()
    assert _confirm(client, planned, "f" * 32).location.endswith("/plan/import")
    assert _confirm(client, planned, token).status_code == 302


def test_purge_removes_only_stale_uploads(site_world) -> None:
    site = site_world["site"]
    db.session.add_all(
        [
            PendingImport(token="a" * 32, site_id=site.id, content=b"new"),
            PendingImport(
                token="b" * 32,
                site_id=site.id,
                content=b"old",
                created_at=utcnow() - timedelta(days=2),
            ),
        ]
    )
    db.session.commit()
    assert purge_expired() == 1
    assert db.session.scalars(select(PendingImport.token)).all() == ["a" * 32]
