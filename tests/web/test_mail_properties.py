"""Property: whatever people type into names, titles and site names, and whatever address
they give, every queued message parses back with exactly the headers the app meant
(#28 item 2, "Done when")."""

from __future__ import annotations

from email.header import Header
from email.parser import BytesParser
from email.policy import default

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from app.core.addresses import valid_address
from app.core.cleantext import plain_text
from app.extensions import db
from app.notifications.compose import Draft, Recipient
from app.notifications.outbox import queue
from app.notifications.stored import render

HEADERS = {
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
    "Content-Type",
}  # fmt: skip  (multipart/alternative: each part has its own transfer encoding)
READER = BytesParser(policy=default)

TRICKS = [
    "\r\n", "\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x00", "\t", "\x1b",
    "Bcc: spy@evil.example", "\r\nReply-To: attacker@evil.example\r\n\r\n", ": ", '"', "\\",
    "<", ">", ",", ";", "@", "(", ")", "=?", "?=", "Zoë", "李", "🙂", "  ",
    "=?utf-8?q?Budget=0D=0AReply-To:_attacker@evil.example=0D=0A=0D=0AClick?=",
    "=?utf-8?q?=3D=3Futf-8=3Fq=3FA=3D0D=3D0ABcc:_x@evil.example=3F=3D?=",
    "=?iso-8859-1?q?Caf=E9=0ABcc:_x@evil.example?=", "=?bogus?q?x=0Ay?=",
]  # fmt: skip


def _encoded_words(text: str) -> str:
    """`text` as RFC 2047 encoded words, the way an attacker would paste them."""
    return Header(text, "utf-8").encode()


pieces = st.one_of(
    st.sampled_from(TRICKS),
    st.text(max_size=12),
    st.text(max_size=12).map(_encoded_words),
    st.lists(st.sampled_from(TRICKS), max_size=4).map(lambda parts: _encoded_words("".join(parts))),
)
texts = st.lists(pieces, max_size=6).map("".join)
addresses = st.builds(
    "{}@{}".format,
    st.sampled_from(["ann", "zoë", "o'neil", "a.b+c", "李"]),
    st.sampled_from(["example.nhs.uk", "bücher.example", "xn--bcher-kva.example", "例え.jp"]),
)


def _utf8(value: object) -> str:
    """A header of an SMTPUTF8 message as a UTF-8 reader sees it."""
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=texts, title=texts, site_name=texts, typed_address=addresses)
def test_every_queued_message_parses_back_with_exactly_the_intended_headers(
    app, name: str, title: str, site_name: str, typed_address: str
) -> None:  # noqa: ANN001
    address = valid_address(typed_address)
    assume(address is not None)
    subject = f"Invitation: {title}, {site_name}"
    text = f"You are invited to this meeting.\n\n{plain_text(title)}\n{plain_text(site_name)}"
    row = queue(None, "invitation", Recipient(name, address), Draft(subject, text), "digest")
    db.session.flush()
    assert row.status == "queued", row.last_error

    message = READER.parsebytes(render(row))
    assert set(message.keys()) == HEADERS
    assert all(len(message.get_all(key)) == 1 for key in HEADERS)
    assert _utf8(message["Subject"]) == plain_text(subject)
    (to,) = message["To"].addresses
    assert _utf8(to.display_name) == plain_text(name)
    assert _utf8(to.addr_spec) == address
    assert str(message["From"]) == "FLS Tracker <fls-tracker@localhost>"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith(text + "\n\n--\nSent by the FLS Tracker.")
    # The HTML part holds the same words, escaped: nothing typed becomes markup.
    page = message.get_body(("html",)).get_content()
    assert str(escape(plain_text(title))) in page and "<script" not in page.lower()
    db.session.rollback()


def test_a_long_subject_goes_out_whole(app) -> None:  # noqa: ANN001
    # A meeting title and a site name can each be 200 characters; the message is built from
    # the stored row when it is sent, so the row keeps the subject whole (it was cut at 300).
    title, site_name = "Steering group " + "t" * 185, "Riverside FLS " + "s" * 186
    subject = f"Invitation: {title}, {site_name}"
    row = queue(
        None,
        "invitation",
        Recipient("Ann", "ann@example.nhs.uk"),
        Draft(subject, "You are invited."),
        "digest",
    )
    db.session.flush()
    db.session.expire(row)  # read back what the database holds
    assert len(subject) > 400
    assert str(READER.parsebytes(render(row))["Subject"]) == subject
    db.session.rollback()
