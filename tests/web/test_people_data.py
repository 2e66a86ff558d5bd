"""Spreadsheets in and out, and personal data: export one person's data, erase them."""

from __future__ import annotations

import csv
import io
import json
import logging

import pytest
from openpyxl import load_workbook
from sqlalchemy import String, Text, select

from app.core.audit import AuditEvent
from app.core.registry import registry
from app.extensions import db
from app.people import gdpr, service
from app.people import groups as group_rules
from app.people import queries as people_queries
from app.people.models import Group, GroupMember, Person

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)


def _url(site, path: str) -> str:
    return f"/sites/{site.id}{path}"


def _upload(client, site, content: bytes, name: str = "people.csv"):  # noqa: ANN001, ANN202
    return client.post(
        _url(site, "/people/import"),
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _token(html: str) -> str:
    import re

    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def _confirm(client, site, html: str, action: str = "import", **mapping):  # noqa: ANN001, ANN202
    import re

    data = {"token": _token(html), "action": action}
    for index, field in re.findall(
        r'id="map-(\d+)".*?<option value="([^"]*)" selected', html, re.S
    ):
        data[f"map-{index}"] = field
    data.update(mapping)
    return client.post(_url(site, "/people/import/confirm"), data=data)


def test_csv_export_escapes_formulas_and_is_recorded(site_world, login, make_stakeholder) -> None:
    site = site_world["site"]
    make_stakeholder(
        site,
        name='=HYPERLINK("http://x")',
        phone="+44 7700 900123",
        notes="@SUM(A1)",
        groups=["reference_group"],
    )
    client = login(site_world["editor"])
    response = client.get(_url(site, "/people.csv"))
    assert response.status_code == 200
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    assert rows[1][0].startswith("'=")
    assert rows[1][6] == "'+44 7700 900123"
    assert rows[1][13] == "'@SUM(A1)"
    assert rows[1][12] == "Stakeholder reference group"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.user_id == site_world["editor"].id and "CSV" in event.detail


def test_xlsx_export_opens_and_escapes(site_world, login, make_stakeholder) -> None:
    site = site_world["site"]
    make_stakeholder(site, name="Dr Ann Other", category="primary-care", notes="-1+1")
    client = login(site_world["editor"])
    response = client.get(_url(site, "/people.xlsx"))
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A2"].value == "Dr Ann Other"
    assert sheet["D2"].value == "GPs and practice managers"
    assert sheet["N2"].value == "'-1+1" and sheet["N2"].data_type == "s"


def test_viewer_cannot_export(site_world, login) -> None:
    client = login(site_world["viewer"])
    assert client.get(_url(site_world["site"], "/people.csv")).status_code == 403


def test_import_semicolon_csv_with_bom_preview_then_confirm(
    site_world, login, make_stakeholder
) -> None:
    site = site_world["site"]
    make_stakeholder(site, name="Existing Person", email="existing@example.nhs.uk", job_title="GP")
    content = (
        "\ufeffFull name;E-mail;Organisation;Category;Job title;Groups\r\n"
        "Zoë Ward;zoe@example.nhs.uk;Age UK Riverside;Local charities;Manager;"
        "Stakeholder reference group\r\n"
        "Existing Person;EXISTING@example.nhs.uk;Riverside PCN;GPs and practice managers;GP;\r\n"
        "Sam Lee;;Care Home Ltd;care-homes;;Project team: Data analyst\r\n"
    ).encode()
    client = login(site_world["editor"])
    preview = _upload(client, site, content)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[:2000]
    assert "1 new" not in html  # counts are explicit
    assert "2 new people to add" in html and "1 already listed, to update" in html
    assert db.session.scalar(select(db.func.count(Person.id))) == 1  # nothing saved yet
    done = _confirm(client, site, html)
    assert done.status_code == 302
    people = {p.name: p for p in db.session.scalars(select(Person))}
    assert people["Zoë Ward"].category == "local-charities"
    assert people["Existing Person"].organisation == "Riverside PCN"
    reference = people_queries.group_of_kind(site.id, "reference_group")
    team = people_queries.group_of_kind(site.id, "project_team")
    assert [m.person.name for m in people_queries.group_members(reference)] == ["Zoë Ward"]
    assert [(m.person.name, m.team_role) for m in people_queries.group_members(team)] == [
        ("Sam Lee", "data-analyst")
    ]


def test_import_is_all_or_nothing_and_names_rows(site_world, login) -> None:
    site = site_world["site"]
    content = (
        b"Name,Email,Category,Phone\n"
        b"Good Person,good@example.nhs.uk,Public health,01632 960001\n"
        b"Bad Email,not-an-email,Public health,\n"
        b"Bad Category,bc@example.nhs.uk,Astrologers,\n"
        b"Twin,good@example.nhs.uk,,\n"
        b",nobody@example.nhs.uk,,\n"
    )
    client = login(site_world["editor"])
    preview = _upload(client, site, content)
    html = preview.get_data(as_text=True)
    assert "Row 3: Enter an email address in the right format" in html
    assert "Row 4: Category &#39;Astrologers&#39; is not one of" in html
    assert "Row 5: the same email address as row 2" in html
    assert "Row 6: Enter the person&#39;s name" in html
    forced = _confirm(client, site, html)
    assert forced.status_code == 422
    assert db.session.scalar(select(db.func.count(Person.id))) == 0


def test_import_column_mapping_can_be_changed(site_world, login) -> None:
    site = site_world["site"]
    content = b"Who,Contact\nAnna Bell,anna@example.nhs.uk\n"
    client = login(site_world["editor"])
    html = _upload(client, site, content).get_data(as_text=True)
    assert "Choose which column holds the name" in html
    fixed = _confirm(client, site, html, action="preview", **{"map-0": "name", "map-1": "email"})
    assert "1 new person to add" in fixed.get_data(as_text=True)
    _confirm(client, site, fixed.get_data(as_text=True), **{"map-0": "name", "map-1": "email"})
    person = db.session.scalar(select(Person))
    assert (person.name, person.email) == ("Anna Bell", "anna@example.nhs.uk")


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "p.csv", "The file is empty"),
        (b"Name\n", "p.csv", "no people under it"),
        (b"PK\x03\x04broken", "p.xlsx", "could not be read"),
        (b"%PDF", "p.pdf", "Choose a .csv or .xlsx file"),
    ],
)
def test_unreadable_files_get_clear_messages(site_world, login, content, name, message) -> None:
    client = login(site_world["editor"])
    response = _upload(client, site_world["site"], content, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.app_config(MAX_CONTENT_LENGTH=1024)
def test_oversized_upload_gets_413_page(site_world, login) -> None:
    client = login(site_world["editor"])
    response = _upload(client, site_world["site"], b"Name\n" + b"x" * 4096)
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)


def test_import_token_cannot_be_used_on_another_site(site_world, login, add_member) -> None:
    site, other = site_world["site"], site_world["other_site"]
    add_member(other, site_world["editor"], "editor")
    client = login(site_world["editor"])
    html = _upload(client, site, b"Name\nAnna\n").get_data(as_text=True)
    response = client.post(
        _url(other, "/people/import/confirm"), data={"token": _token(html), "action": "import"}
    )
    assert response.status_code == 400
    assert "This upload could not be found" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Person.id))) == 0


def test_export_from_one_site_imports_into_another(site_world, login, add_member, make_stakeholder):
    site, other = site_world["site"], site_world["other_site"]
    add_member(other, site_world["editor"], "editor")
    make_stakeholder(
        site,
        name="Pat Patient",
        email="pat@example.org",
        category="patients",
        phone="+44 7700 900001",
        groups=["reference_group", "steering_group"],
    )
    make_stakeholder(
        site,
        name="Polly PM",
        category="directors",
        groups=["project_team"],
        team_role="project-manager",
        influence="high",
        interest="high",
    )
    client = login(site_world["editor"])
    exported = client.get(_url(site, "/people.csv")).data
    html = _upload(client, other, exported).get_data(as_text=True)
    assert "2 new people to add" in html
    assert _confirm(client, other, html).status_code == 302
    pat = db.session.scalar(
        select(Person).where(Person.site_id == other.id, Person.name == "Pat Patient")
    )
    assert pat.phone == "+44 7700 900001" and pat.category == "patients"
    kinds = sorted(m.group.kind for m in pat.group_links)
    assert kinds == ["reference_group", "steering_group"]
    polly = db.session.scalar(
        select(Person).where(Person.site_id == other.id, Person.name == "Polly PM")
    )
    assert [m.team_role for m in polly.group_links] == ["project-manager"]
    assert polly.influence == "high"
    # Importing the same file again finds only duplicates.
    again = _upload(client, other, exported).get_data(as_text=True)
    assert "0 new people to add" in again and "2 already listed with the same details" in again


def test_personal_data_export(site_world, login, make_stakeholder) -> None:
    from app.plan.models import Task

    site = site_world["site"]
    person = make_stakeholder(
        site, name="Helen Brooks", email="helen@example.nhs.uk", groups=["steering_group"]
    )
    db.session.add(Task(site_id=site.id, phase=1, title="Agree the PID", owner_id=person.id))
    db.session.commit()
    client = login(site_world["editor"])
    response = client.get(_url(site, f"/people/{person.id}/data.json"))
    data = json.loads(response.data)
    assert data["person"]["email"] == "helen@example.nhs.uk"
    assert data["groups"] == [{"group": "Steering group", "role": ""}]
    assert data["Tasks owned"][0]["title"] == "Agree the PID"
    assert data["history"][0]["action"] == "create"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.object_id == person.id and "Helen" not in (event.detail or "")


def _every_text_value() -> list[str]:
    values = []
    for table in db.metadata.sorted_tables:
        text_columns = [c for c in table.c if isinstance(c.type, String | Text)]
        if not text_columns:
            continue
        for row in db.session.execute(select(*text_columns)):
            values.extend(v for v in row if v)
    return values


def test_erase_leaves_no_trace(site_world, login, make_stakeholder, caplog) -> None:
    from app.plan.models import Task

    caplog.set_level(logging.DEBUG)
    site = site_world["site"]
    person = make_stakeholder(
        site,
        name="Zebedee Quince",
        email="zeb.quince@example.nhs.uk",
        phone="01632 960123",
        job_title="Falls coordinator",
        notes="Prefers mornings",
        category="falls-service",
        groups=["reference_group", "project_team"],
        team_role="data-analyst",
    )
    keep = make_stakeholder(site, name="Someone Else", email="else@example.nhs.uk")
    task = Task(
        site_id=site.id,
        phase=1,
        title="Map the pathway",
        owner_id=person.id,
        notes="Ask Zebedee Quince (ZEB.QUINCE@example.nhs.uk) for the data",
    )
    db.session.add(task)
    db.session.commit()
    client = login(site_world["editor"])
    # Changes go into the history with old and new values.
    form = {
        "name": "Zebedee Quince",
        "email": "zeb.quince@example.nhs.uk",
        "phone": "01632 960124",
        "preferred_contact": "phone",
        "influence": "high",
        "interest": "high",
        "engagement": "engaged",
        "category": "falls-service",
        "version": str(person.version),
    }
    assert client.post(_url(site, f"/people/{person.id}/edit"), data=form).status_code == 302
    client.get(_url(site, f"/people/{person.id}/data.json"))
    assert client.post(_url(site, f"/people/{person.id}/erase")).status_code == 403  # editor
    client = login(site_world["manager"])
    confirm = client.get(_url(site, f"/people/{person.id}/erase"))
    assert "Erase Zebedee Quince?" in confirm.get_data(as_text=True)
    assert client.post(_url(site, f"/people/{person.id}/erase")).status_code == 302
    db.session.expire_all()
    values = _every_text_value()
    for secret in (
        "Zebedee",
        "Quince",
        "zeb.quince",
        "960123",
        "960124",
        "Falls coordinator",
        "Prefers mornings",
    ):
        found = [v for v in values if secret.lower() in v.lower()]
        assert not found, (secret, found)
    erased = db.session.get(Person, person.id)
    assert erased.name == "Erased person" and erased.erased and not erased.group_links
    assert db.session.get(Task, task.id).owner_id is None
    assert db.session.get(Person, keep.id).email == "else@example.nhs.uk"
    assert db.session.scalar(select(db.func.count(GroupMember.id))) == 0
    assert people_queries.people_choices(site.id) == [(keep.id, "Someone Else")]
    assert all(
        "Zebedee" not in r.getMessage() and "zeb.quince" not in r.getMessage()
        for r in caplog.records
    )
    page = client.get(_url(site, f"/people/{person.id}")).get_data(as_text=True)
    assert "Erased person" in page
    assert client.post(_url(site, f"/people/{person.id}/edit"), data=form).status_code == 404


def test_erasure_hooks_run(site_world, make_stakeholder) -> None:
    site = site_world["site"]
    person = make_stakeholder(site, name="Hook Person")
    calls = []
    registry().erasure_hooks.append(lambda pid, sid: calls.append((pid, sid)))
    gdpr.erase_person(person, None)  # the registry belongs to this test's app only
    assert calls == [(person.id, site.id)]
    with pytest.raises(service.ServiceError):
        gdpr.erase_person(db.session.get(Person, person.id), None)


def test_people_choices_one_query(site_world, make_stakeholder, count_queries) -> None:
    site = site_world["site"]
    make_stakeholder(site, name="zed", job_title="Nurse")
    make_stakeholder(site, name="Amy")
    site_id = site.id
    with count_queries() as queries:
        choices = people_queries.people_choices(site_id)
    assert len(queries) == 1, queries.statements
    assert [label for _id, label in choices] == ["Amy", "zed (Nurse)"]
    assert people_queries.person_in_site(site_world["other_site"].id, choices[0][0]) is None
    group_rules.ensure_standard_groups(site)
    group_rules.ensure_standard_groups(site)
    assert db.session.scalar(select(db.func.count(Group.id))) == 3
