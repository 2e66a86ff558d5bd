"""Uploads waiting for confirmation, one service for the plan, people and KPI imports:
the file waits in the database (any worker can confirm, nothing is taken back from the
browser), and confirming twice, someone else's upload, another site's or an expired one
is refused with a clear message and imports nothing."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.core import pending_uploads as pending
from app.core.dates import utcnow
from app.core.pending_uploads import PendingUpload
from app.extensions import db
from app.kpis.models import KpiValue
from app.people import gdpr
from app.people.models import Person
from app.plan.models import Task

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)


@dataclass
class Import:
    kind: str
    url: str  # the upload, under /sites/<id>
    confirm_url: str
    token_field: str  # the confirmation form's field holding the token
    model: type
    confirm_data: dict


IMPORTS = {
    "plan": Import("plan", "/plan/import", "/plan/import/confirm", "token", Task, {}),
    "people": Import(
        "people", "/people/import", "/people/import/confirm", "token", Person,
        {"action": "import", "map-0": "name"},
    ),
    "kpis": Import(
        "kpis", "/kpis/import", "/kpis/import", "upload_token", KpiValue, {"replace": "y"}
    ),
}  # fmt: skip


def _plan_workbook(client, site) -> bytes:  # noqa: ANN001
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/sites/{site.id}/plan.xlsx").data))
    book.active.append(
        [None, "Phase 3: Measure and Understand", "Count hip fractures", "", "1/2/2027",
         "28/2/2027", "Not started"]
    )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def ready(site_world, make_plan, add_kpi_values):  # noqa: ANN001, ANN201
    """Each site with a plan and a KPI 4 value for January 2025 (so the KPI file, which
    holds it again, waits to confirm replacing it)."""
    for site in (site_world["site"], site_world["other_site"]):
        make_plan(site)
        add_kpi_values(site, 4, [50], start=date(2025, 1, 1))
    return site_world


def preview(client, site, kind: str) -> str:  # noqa: ANN001
    """Upload the kind's file and return the token its confirmation form carries."""
    spec = IMPORTS[kind]
    if kind == "plan":
        upload = {"workbook": (io.BytesIO(_plan_workbook(client, site)), "plan.xlsx")}
    elif kind == "people":
        upload = {"file": (io.BytesIO(b"Name\nAnna Import\n"), "people.csv")}
    else:
        csv = b"KPI,Period,Numerator,Denominator\n4,2025-01,70,100\n"
        upload = {"file": (io.BytesIO(csv), "values.csv")}
    response = client.post(
        f"/sites/{site.id}{spec.url}", data=upload, content_type="multipart/form-data"
    )
    assert response.status_code in (200, 409), response.status_code
    found = re.search(rf'name="{spec.token_field}" (?:type="hidden" )?value="([0-9a-f]+)"',
                      response.text)  # fmt: skip
    assert found is not None
    return found.group(1)


def confirm(client, site, kind: str, token: str):  # noqa: ANN001, ANN201
    spec = IMPORTS[kind]
    data = {spec.token_field: token, **spec.confirm_data}
    return client.post(f"/sites/{site.id}{spec.confirm_url}", data=data)


def imported(site, kind: str) -> int:  # noqa: ANN001
    """How many records the import made or changed on the site."""
    if kind == "kpis":
        return db.session.scalar(
            select(func.count(KpiValue.id)).where(
                KpiValue.site_id == site.id, KpiValue.numerator == 70
            )
        )
    model = IMPORTS[kind].model
    return db.session.scalar(select(func.count(model.id)).where(model.site_id == site.id))


@pytest.mark.parametrize("kind", IMPORTS)
def test_the_file_waits_in_the_database_and_is_imported_once(app, login, ready, kind: str) -> None:
    site = ready["site"]
    client = login(ready["editor"])
    token = preview(client, site, kind)
    waiting = db.session.scalar(select(PendingUpload).where(PendingUpload.token == token))
    assert (waiting.kind, waiting.site_id, waiting.user_id) == (
        kind, site.id, ready["editor"].id
    )  # fmt: skip
    assert waiting.content and waiting.confirmed_at is None
    assert not list(Path(app.instance_path).glob("**/*.xlsx"))
    before = imported(site, kind)
    assert confirm(client, site, kind, token).status_code == 302
    after = imported(site, kind)
    assert after == before + 1
    again = confirm(client, site, kind, token)
    assert again.status_code == 409
    assert "This upload has already been imported" in again.text
    assert imported(site, kind) == after


@pytest.mark.parametrize("kind", IMPORTS)
def test_someone_elses_upload_cannot_be_confirmed(login, ready, kind: str) -> None:
    site = ready["site"]
    token = preview(login(ready["editor"]), site, kind)
    before = imported(site, kind)
    response = confirm(login(ready["manager"]), site, kind, token)
    assert response.status_code == 403
    assert "This upload was made by someone else" in response.text
    assert imported(site, kind) == before
    assert confirm(login(ready["editor"]), site, kind, token).status_code == 302  # still theirs


@pytest.mark.parametrize("kind", IMPORTS)
def test_an_expired_upload_imports_nothing(login, ready, kind: str) -> None:
    site = ready["site"]
    client = login(ready["editor"])
    token = preview(client, site, kind)
    waiting = db.session.scalar(select(PendingUpload).where(PendingUpload.token == token))
    waiting.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    before = imported(site, kind)
    response = confirm(client, site, kind, token)
    assert response.status_code == 410
    assert "This upload has expired" in response.text
    assert imported(site, kind) == before


@pytest.mark.parametrize("kind", IMPORTS)
def test_another_sites_or_a_made_up_token_is_not_found(login, ready, add_member, kind) -> None:  # noqa: ANN001
    site, other = ready["site"], ready["other_site"]
    add_member(other, ready["editor"], "editor")
    client = login(ready["editor"])
    token = preview(client, site, kind)
    before = imported(other, kind), imported(site, kind)
    for where, made_up in ((other, token), (site, "f" * 32), (site, "not a token")):
        response = confirm(client, where, kind, made_up)
        assert response.status_code == 400
        assert "This upload could not be found" in response.text
    assert (imported(other, kind), imported(site, kind)) == before
    assert confirm(client, site, kind, token).status_code == 302


def test_a_token_is_for_its_own_kind_of_import(login, ready) -> None:
    site = ready["site"]
    client = login(ready["editor"])
    token = preview(client, site, "people")
    response = confirm(client, site, "plan", token)
    assert response.status_code == 400


def test_of_two_confirmations_at_once_only_one_imports(ready) -> None:
    site, editor = ready["site"], ready["editor"]
    token = pending.keep_upload("kpis", site.id, editor.id, "values.csv", b"data")
    db.session.commit()
    first = pending.waiting_upload("kpis", site.id, editor.id, token)
    second = pending.waiting_upload("kpis", site.id, editor.id, token)  # read before either
    pending.mark_confirmed(first)
    with pytest.raises(pending.UploadNotUsable) as refused:
        pending.mark_confirmed(second)
    assert refused.value.status == 409


def test_erasing_a_person_drops_the_sites_waiting_uploads(login, ready, make_stakeholder) -> None:
    site = ready["site"]
    token = preview(login(ready["editor"]), site, "people")
    person = make_stakeholder(site, name="To Be Erased")
    gdpr.erase_person(person, None)
    db.session.commit()
    assert db.session.scalar(select(PendingUpload).where(PendingUpload.token == token)) is None


def test_purge_removes_only_stale_uploads(site_world) -> None:
    site = site_world["site"]
    for token, age in (("a" * 32, timedelta(0)), ("b" * 32, timedelta(days=2))):
        db.session.add(
            PendingUpload(token=token, kind="plan", site_id=site.id, content=b"x",
                          created_at=utcnow() - age)
        )  # fmt: skip
    db.session.commit()
    assert pending.purge_expired() == 1
    assert db.session.scalars(select(PendingUpload.token)).all() == ["a" * 32]
