"""Building one email: headers, plain text and its HTML alternative (multipart/
alternative), an optional calendar part and attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from flask import current_app

from app.core.addresses import mailbox, needs_smtputf8, sender_address
from app.core.cleantext import clean_text, plain_text
from app.notifications import html
from app.notifications.models import MAIL_CHOICES
from app.notifications.tokens import unsubscribe_token


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to. Exactly one of person_id (someone on a site's people list)
    and user_id (someone who signs in) names them; logs use those ids, never the address."""

    name: str
    address: str
    person_id: int | None = None
    user_id: int | None = None

    @property
    def scope_ids(self) -> dict:
        return {"person_id": self.person_id, "user_id": self.user_id}


@dataclass
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "octet-stream"
    # Set for a document the outbox writes when the message is sent ("agenda:12"), whose
    # content is then empty until then (app/notifications/stored.py).
    document: str | None = None


@dataclass
class Draft:
    """What one email says. `link` is the page it is about: the HTML part's one button
    (labelled `button`) and the plain text's last link."""

    subject: str
    text: str
    link: str | None = None
    button: str = "Open in the FLS Tracker"
    calendar: bytes | None = None
    calendar_method: str = "REQUEST"
    calendar_name: str = "invite.ics"
    attachments: list[Attachment] = field(default_factory=list)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email, built on BASE_URL (there is no request to go by)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def footer_lines(recipient: Recipient, scope: str | None) -> list[str]:
    """The footer: the email choices page, and the link that stops this kind only."""
    lines = [
        "Sent by the FLS Tracker. Choose which emails you get:",
        external_url("notifications.preferences"),
    ]
    if scope is not None:
        lines += [f"To stop {MAIL_CHOICES[scope]} only:", unsubscribe_link(recipient, scope)]
    return lines


def unsubscribe_link(recipient: Recipient, scope: str) -> str:
    return external_url(
        "notifications.unsubscribe", token=unsubscribe_token(scope, **recipient.scope_ids)
    )


def build(recipient: Recipient, draft: Draft, scope: str | None) -> EmailMessage:
    """The whole message. Every header value goes through `plain_text` (by way of
    `mailbox` for names) and is set through the email package's header registry; the body
    is the app's own wording with people's text in it as plain text. Mail of a kind one
    can stop (`scope`, one of MAIL_CHOICES) carries a one-click unsubscribe (RFC 8058)
    for that kind alone; every message's footer links to the email choices page."""
    msg = EmailMessage()
    from_name, from_address = sender_address(current_app.config["MAIL_FROM"])
    msg["From"] = mailbox(from_name, from_address)
    msg["To"] = mailbox(recipient.name, recipient.address)
    msg["Subject"] = plain_text(draft.subject)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or "fls-tracker")
    msg["Auto-Submitted"] = "auto-generated"
    if scope is not None:
        msg["List-Unsubscribe"] = f"<{unsubscribe_link(recipient, scope)}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text = clean_text(draft.text)
    if draft.link:
        text += f"\n\n{draft.button}:\n{draft.link}"
    footer = "\n".join(footer_lines(recipient, scope))
    msg.set_content(f"{text}\n\n--\n{footer}\n")
    msg.add_alternative(
        html.render(
            plain_text(draft.subject),
            clean_text(draft.text),
            draft.link,
            draft.button,
            external_url("notifications.preferences"),
            (MAIL_CHOICES[scope], unsubscribe_link(recipient, scope)) if scope else None,
        ),
        subtype="html",
    )
    if draft.calendar is not None:
        # Outlook and Google read the text/calendar alternative as an invitation; the
        # .ics attachment is for everything else.
        msg.add_alternative(
            draft.calendar.decode(), subtype="calendar", params={"method": draft.calendar_method}
        )
        msg.add_attachment(
            draft.calendar, maintype="application", subtype="ics", filename=draft.calendar_name
        )
    for item in draft.attachments:
        msg.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    return msg


# CRLF line ends, as SMTP and .eml files expect. Headers may run to RFC 5322's 998
# characters, so a long List-Unsubscribe link stays one plain URL and is not encoded.
WIRE = SMTP.clone(max_line_length=998)
# For a recipient whose address has a non-ASCII local part: headers in UTF-8 as they
# are (RFC 6532), sent with SMTPUTF8.
WIRE_UTF8 = WIRE.clone(utf8=True)


def as_bytes(msg: EmailMessage, address: str) -> bytes:
    """The message as stored and sent to `address`."""
    return msg.as_bytes(policy=WIRE_UTF8 if needs_smtputf8(address) else WIRE)
