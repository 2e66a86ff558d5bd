"""An agenda is written when its message is sent (#34 item 4), so its .docx lives in the
written .eml file only: erasing someone it names must scrub that file too, and must not
write the agenda again while the person is still on the site's records."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from app.core.dates import utcnow
from app.extensions import db
from app.meetings.models import AgendaItem, Invitee
from app.notifications.models import OutboxMessage
from app.notifications.reminders import queue_agendas
from app.notifications.sender import send_due
from app.people import gdpr
from tests.fixtures.meetings import create_meeting, create_person


def _file_text(path: Path) -> str:
    """Everything a reader of the .eml could see, Word documents included."""
    message = message_from_bytes(path.read_bytes(), policy=default)
    found = []
    for part in message.walk():
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True) or b""
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                found += [package.read(n).decode("utf-8", "replace") for n in package.namelist()]
        else:
            found.append(data.decode("utf-8", "replace"))
    return "\n".join(found).lower()


def test_erasing_an_agendas_chair_scrubs_the_sent_agenda_files(app, make_site, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "mail"
    app.config.update(MAIL_SERVER="", MAIL_DIR=str(folder))
    site = make_site()
    aisha = create_person(site, "Aisha Rahman", email="")
    ben = create_person(site, "Ben Jones", email="ben@example.nhs.uk")
    meeting = create_meeting(site, starts=utcnow().replace(microsecond=0) + timedelta(days=2))
    meeting.chair_id = aisha.id
    db.session.add(Invitee(site_id=site.id, meeting_id=meeting.id, person_id=ben.id))
    db.session.add(AgendaItem(site_id=site.id, meeting_id=meeting.id, title="Progress"))
    db.session.commit()
    db.session.execute(db.delete(OutboxMessage))  # the invitation: tested elsewhere
    db.session.commit()
    assert queue_agendas(utcnow()) == 1
    db.session.commit()
    assert send_due().sent == 1
    (written,) = folder.glob("*-agenda.eml")
    assert "aisha" in _file_text(written)
    gdpr.erase_person(aisha, None)
    db.session.commit()
    for path in folder.glob("*.eml"):
        assert "aisha" not in _file_text(path), path.name
