"""The outbox keeps what a message is made of and the sender builds it when it goes (#34
item 4): the message built then must be the one queueing would have built, with h9's
HTML part and button, people-named attachments and calendar, and the right unsubscribe."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default

import pytest

from app.extensions import db
from app.notifications.compose import Attachment, Draft, Recipient, as_bytes, build
from app.notifications.outbox import Queued, queue, queue_many
from app.notifications.stored import render
from tests.fixtures.meetings import create_person
from tests.fixtures.notifications import outbox

CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
# Headers written afresh for each build; everything else must match.
PER_BUILD = {"date", "message-id", "content-type"}


def _shape(raw: bytes) -> list[tuple]:
    """Every header but Date and Message-ID, then each part's type, file name and content
    (the MIME boundaries in Content-Type are drawn anew each time a message is written)."""
    message: EmailMessage = email.message_from_bytes(raw, policy=default)
    headers = [(k, str(v)) for k, v in message.items() if k.lower() not in PER_BUILD]
    parts = [
        (part.get_content_type(), part.get_filename(), part.get_payload(decode=True))
        if not part.is_multipart()
        else (part.get_content_type(),)
        for part in message.walk()
    ]
    return [*headers, *parts]


DRAFTS = {
    "meeting invitation": (
        Draft(
            "Invitation: Steering group, 8 Dec 2026 10:00",
            "You are invited to this meeting.\n\nO'Brien & <Sons>",
            link="https://fls.example/sites/1/meetings/2",
            button="Open the meeting",
            calendar=CALENDAR,
            calendar_name="Steering group, 8 Dec 2026.ics",
        ),
        "meetings",
    ),
    "minutes with a document": (
        Draft(
            "Minutes: Steering group",
            "The minutes are attached.",
            link="https://fls.example/sites/1/meetings/2",
            button="Open the meeting",
            attachments=[
                Attachment(
                    "Steering group minutes, 8 Dec 2026.docx",
                    b"PK\x03\x04 minutes",
                    "application",
                    "vnd.openxmlformats-officedocument.wordprocessingml.document",
                )
            ],
        ),
        "meetings",
    ),
    "account mail (no unsubscribe)": (
        Draft("Reset your password", "Use this link within an hour.", link="https://x.example/r"),
        None,
    ),
    "digest without a link": (Draft("Your reminders", "Overdue:\n- Task"), "digest"),
}


@pytest.mark.parametrize("name", list(DRAFTS))
def test_the_message_sent_is_the_one_queued(make_site, name: str) -> None:
    site = make_site()
    person = create_person(site, name="Zoë O'Brien", email="zoe@example.nhs.uk")
    recipient = Recipient(person.name, person.email, person_id=person.id)
    draft, scope = DRAFTS[name]
    queue(site.id, "invitation", recipient, draft, scope)
    db.session.commit()
    (message,) = outbox()
    assert message.status == "queued" and not message.message  # stored as parts
    assert _shape(render(message)) == _shape(as_bytes(build(recipient, draft, scope), person.email))


def test_bulk_queued_messages_keep_their_link_and_button(make_site) -> None:
    site = make_site()
    person = create_person(site, name="Ann Lee", email="ann@example.nhs.uk")
    recipient = Recipient(person.name, person.email, person_id=person.id)
    draft = Draft("Agenda", "The agenda.", link="https://fls.example/m/1", button="Open it")
    assert queue_many([Queued(site.id, "agenda", recipient, draft, "meetings", "k:1")]) == 1
    db.session.commit()
    (message,) = outbox()
    sent = email.message_from_bytes(render(message), policy=default)
    html = sent.get_body(("html",)).get_content()
    assert "https://fls.example/m/1" in html and "Open it" in html
    assert _shape(render(message)) == _shape(
        as_bytes(build(recipient, draft, "meetings"), person.email)
    )


def test_bulk_queueing_refuses_an_unknown_kind_of_mail(make_site) -> None:
    site = make_site()
    person = create_person(site, name="Ann Lee", email="ann@example.nhs.uk")
    recipient = Recipient(person.name, person.email, person_id=person.id)
    with pytest.raises(ValueError, match="MAIL_CHOICES"):
        queue_many([Queued(site.id, "digest", recipient, Draft("S", "T"), "updates")])
