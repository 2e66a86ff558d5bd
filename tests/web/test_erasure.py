"""Erasure finds a person's details however they were written, in free text and history."""

from __future__ import annotations

import json
import re

from sqlalchemy import JSON, String, Text, select

from app.extensions import db
from app.gateways.models import GatewayDecision
from app.people import gdpr
from app.people.scrub import secrets_for
from app.plan.models import Task
from app.risks.models import RaidEntry
from tests.conftest import csrf_token
from tests.fixtures.meetings import create_meeting

LEFTOVERS = ("Aisha", "Rahman", "aisha.rahman", "960555", "960 555", "Orthogeriatric lead")


def _every_value() -> list[str]:
    values = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.c if isinstance(c.type, String | Text | JSON)]
        for row in db.session.execute(select(*columns)) if columns else []:
            values.extend(json.dumps(v) if not isinstance(v, str) else v for v in row if v)
    return values


def test_erasure_removes_name_parts_phone_and_role_everywhere(
    site_world, login, make_stakeholder
) -> None:
    site = site_world["site"]
    person = make_stakeholder(
        site,
        name="Aisha Rahman",
        email="aisha.rahman@example.nhs.uk",
        phone="01632 960555",
        job_title="Orthogeriatric lead",
    )
    task = Task(site_id=site.id, phase=1, title="Map the pathway", notes="Ask Aisha")
    db.session.add(task)
    db.session.commit()
    task.notes = "Ask Aisha (ring 01632960555) before Friday"  # the history keeps old and new
    task.title = "Map the pathway with Ms Rahman, Orthogeriatric Lead"
    create_meeting(site, location="AISHA RAHMAN's office, +44 (0)1632 960 555")
    db.session.add(
        RaidEntry(site_id=site.id, kind="risk", title="Cover", description="Only Ms Rahman knows")
    )
    db.session.add(
        GatewayDecision(
            site_id=site.id,
            phase=1,
            action="signed_off",
            snapshot=[{"key": "x", "text": "Lead named", "detail": "Dr Aisha Rahman agreed"}],
        )
    )
    site.description = "Clinical lead: Aisha Rahman, 01632-960-555"
    db.session.commit()
    assert any("960555" in v or "960 555" in v for v in _every_value())

    client = login(site_world["manager"])
    url = f"/sites/{site.id}/people/{person.id}/erase"
    response = client.post(url, data={"csrf_token": csrf_token(client, url)}, follow_redirects=True)
    assert response.status_code == 200
    assert re.search(r"Removed \d+ mentions", response.get_data(as_text=True))

    db.session.expire_all()
    values = _every_value()
    for secret in LEFTOVERS:
        found = [v for v in values if secret.lower() in v.lower()]
        assert not found, (secret, found)
    assert "Map the pathway" in db.session.get(Task, task.id).title  # the rest of the text stays


def test_the_report_says_what_was_removed(site_world, make_stakeholder) -> None:
    site = site_world["site"]
    person = make_stakeholder(site, name="Rose Tyler", phone="020 7946 0000")
    db.session.add(
        Task(site_id=site.id, phase=1, title="Call Rose on 02079460000", notes="rose early")
    )
    db.session.commit()
    report = gdpr.erase_person(person, None)
    db.session.commit()
    # In the task's title and the history of its creation (and the phone in the person's own).
    assert report.kinds["part of the name"] == 2 and report.kinds["phone"] >= 2
    assert report.places["tasks.title"] == 1 and report.places["audit_events.label"] >= 1
    assert db.session.scalar(select(Task.notes)) == "rose early"  # a word, not the person


def test_phone_patterns_cover_spacing_and_the_uk_prefix() -> None:
    phone = next(s for s in secrets_for("", "", "01632 960555", "") if s.kind == "phone")
    for written in ("01632960555", "01632 960 555", "+44 1632 960555", "+44 (0)1632-960-555"):
        assert phone.pattern.search(f"call {written} now"), written
    assert not phone.pattern.search("ref 9016329605551")
