"""Erasure reaches the outbox, the mail files and JSON stored as text (#28 items 8, 11)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import time, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

from icalendar import Calendar

from app.core.dates import today
from app.extensions import db
from app.meetings import service as meetings
from app.meetings.service import MeetingDetails
from app.needs.models import NeedsVersion
from app.notifications.compose import Draft, Recipient
from app.notifications.outbox import queue
from app.notifications.sender import send_due
from app.notifications.stored import render
from app.people import gdpr
from tests.fixtures.meetings import create_group, create_person
from tests.fixtures.notifications import calendar_part, outbox, parsed

LEFTOVERS = ("aisha", "rahman", "960555", "960 555")


def _readable(raw: bytes) -> str:
    """Everything a message says, decoded: headers, text, calendars and Word attachments."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    found = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        if isinstance(content, str):
            found.append(content)
        elif zipfile.is_zipfile(io.BytesIO(content)):
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                found += [package.read(n).decode("utf-8", "replace") for n in package.namelist()]
        else:
            found.append(content.decode("utf-8", "replace"))
    return "\n".join(found).lower()


def _left(raw: bytes) -> list[str]:
    text = _readable(raw)
    return [secret for secret in LEFTOVERS if secret in text]


def test_erasure_clears_the_outbox_and_the_mail_files(app, site_world, tmp_path: Path) -> None:
    app.config.update(MAIL_SERVER="", MAIL_DIR=str(tmp_path / "mail"))
    site, manager = site_world["site"], site_world["manager"]
    aisha = create_person(
        site, "Aisha Rahman", email="aisha.rahman@example.nhs.uk", phone="01632 960555"
    )
    ben = create_person(site, "Ben Jones", email="ben@example.nhs.uk")
    group = create_group(site, "Steering group", [aisha, ben])
    db.session.commit()
    details = MeetingDetails(
        kind="steering_group", title="Board with Aisha Rahman", day=today() + timedelta(days=9),
        start=time(10), end=time(11), group_id=group.id, location="Ring 01632 960555",
    )  # fmt: skip
    meeting = meetings.create_meeting(site, details)
    db.session.commit()
    assert send_due().sent == 2  # .eml files for Aisha and Ben
    meetings.update_meeting(meeting, details.__class__(**{**details.__dict__, "start": time(9)}))
    db.session.commit()  # updates waiting for both
    # A site-less digest and a message to a user that mention her, one failed.
    queue(
        None, "digest", Recipient(manager.name, manager.email, user_id=manager.id),
        Draft("Reminders", "- Task: Call Aisha on 01632 960 555 (Riverside)"), "digest",
    )  # fmt: skip
    failed = queue(
        site.id, "decision", Recipient(manager.name, manager.email, user_id=manager.id),
        Draft("Gateway decision", "Comments:\nAgreed with Dr Rahman."), "digest",
    )  # fmt: skip
    failed.status = "failed"
    db.session.commit()
    assert sum(bool(_left(render(m))) for m in outbox()) == 6
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2 and all(_left(f.read_bytes()) for f in files)

    report = gdpr.erase_person(aisha, None)
    db.session.commit()

    rows = outbox()
    assert [(m.kind, m.status) for m in rows] == [
        ("invitation", "sent"), ("invitation", "queued"), ("digest", "queued"),
        ("decision", "failed"),
    ]  # fmt: skip
    assert {m.to_address for m in rows} == {"ben@example.nhs.uk", manager.email}
    for message in rows:
        assert _left(render(message)) == [], message.kind
        assert "aisha" not in message.subject.lower()
    (file,) = (tmp_path / "mail").glob("*.eml")  # Ben's; Aisha's own went
    assert _left(file.read_bytes()) == []
    assert (
        parsed(rows[0])["Subject"]
        == BytesParser(policy=policy.default).parsebytes(file.read_bytes())["Subject"]
    )  # written again from the scrubbed row
    # What is left still reads as an invitation with a calendar.
    waiting = parsed(rows[1])
    assert waiting["Subject"].startswith("Updated invitation: Board with Erased person")
    event = Calendar.from_ical(calendar_part(waiting)).walk("VEVENT")[0]
    attendees = event["attendee"] if isinstance(event["attendee"], list) else [event["attendee"]]
    assert "mailto:ben@example.nhs.uk" in [str(a) for a in attendees]
    assert report.places["mail_outbox.message"] == 4 and report.places["mail files"] == 2


def test_erasure_edits_json_stored_as_text_without_touching_its_keys(
    site_world, make_stakeholder
) -> None:
    site = site_world["site"]
    person = make_stakeholder(site, name='Olu "Doc" Okafor', job_title="Other")
    payload = {
        "inputs": {"admissions": {"hip": 10, "other": 3}, "staffing": {"other": 0.4}},
        "notes": ['Checked with Olu "Doc" Okafor', "Other staff to confirm"],
    }
    version = NeedsVersion(site_id=site.id, change="Figures", data=json.dumps(payload))
    db.session.add(version)
    db.session.commit()

    gdpr.erase_person(person, None)
    db.session.commit()

    data = json.loads(db.session.get(NeedsVersion, version.id).data)
    assert data["inputs"] == payload["inputs"]  # keys and numbers as they were
    assert data["notes"] == ["Checked with Erased person", "[erased] staff to confirm"]


def test_erasure_finds_a_name_the_html_part_holds_escaped(app, site_world) -> None:
    """An apostrophe is "&#39;" in the HTML part: the scrub reads the text unescaped."""
    site, manager = site_world["site"], site_world["manager"]
    aoife = create_person(site, "Aoife O'Brien", email="aoife@example.nhs.uk")
    db.session.commit()
    queue(
        site.id, "decision", Recipient(manager.name, manager.email, user_id=manager.id),
        Draft("Gateway decision", "Comments:\nAgreed with Aoife O'Brien <ward 4>."), "gateways",
    )  # fmt: skip
    db.session.commit()
    (row,) = outbox()
    assert "O&#39;Brien" in parsed(row).get_body(("html",)).get_content()

    gdpr.erase_person(aoife, None)
    db.session.commit()

    message = parsed(outbox()[0])
    for kind in ("plain", "html"):
        content = message.get_body((kind,)).get_content()
        assert "brien" not in content.lower() and "aoife" not in content.lower(), kind
    page = message.get_body(("html",)).get_content()
    assert "&lt;ward 4&gt;" in page and "<ward" not in page  # still escaped
