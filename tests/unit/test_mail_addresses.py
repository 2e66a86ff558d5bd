"""Who can be emailed, and names and subjects that cannot break a header."""

from __future__ import annotations

from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default

import pytest

from app.core.addresses import mailbox, valid_address
from app.core.cleantext import plain_text


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ann@example.nhs.uk", "ann@example.nhs.uk"),
        ("  Ann@Example.NHS.uk ", "Ann@example.nhs.uk"),
        ("", None),
        (None, None),
        ("ann@", None),
        ("ann@bücher.example", "ann@xn--bcher-kva.example"),
        ("zoë@example.com", "zoë@example.com"),
        ("ann@example.nhs.uk\r\nBcc: x@example.com", None),
        ("Ann <ann@example.nhs.uk>", None),
        ("a@example.com, b@example.com", None),
    ],
)
def test_valid_address(value, expected) -> None:  # noqa: ANN001
    assert valid_address(value) == expected


def test_line_breaks_in_names_and_subjects_cannot_add_headers() -> None:
    msg = EmailMessage()
    msg["To"] = mailbox("Ann\r\nBcc: spy@example.com", "ann@example.nhs.uk")
    msg["Subject"] = plain_text("Board\nBcc: spy@example.com")
    msg.set_content("Hello")
    wire = msg.as_bytes()
    assert b"\nBcc:" not in wire
    assert msg["Subject"] == "Board Bcc: spy@example.com"
    assert msg["To"].addresses[0].addr_spec == "ann@example.nhs.uk"


def test_the_email_package_refuses_a_raw_line_break() -> None:
    msg = EmailMessage()
    with pytest.raises(ValueError):
        msg["Subject"] = "Board\r\nBcc: spy@example.com"


ENCODED_INJECTION = "=?utf-8?q?Budget=0D=0AReply-To:_attacker@evil.example=0D=0A=0D=0AClick_here?="


@pytest.mark.parametrize(
    "value, expected",
    [
        (ENCODED_INJECTION, "Budget Reply-To: attacker@evil.example Click here"),
        # An encoded word hiding another: decoded until none is left.
        ("=?utf-8?q?=3D=3Futf-8=3Fq=3FA=3D0D=3D0AB=3F=3D?=", "A B"),
        ("=?utf-8?b?QQ0KQmNjOiB4QGV2aWwuZXhhbXBsZQ==?=", "A Bcc: x@evil.example"),
        ("Ann\u2028Bcc: x@evil.example", "Ann Bcc: x@evil.example"),
        ("Ann\u0085\u2029\x0b\x00 Chair", "Ann Chair"),
        ("  Zoë   Ødegård ", "Zoë Ødegård"),
        (None, ""),
    ],
)
def test_plain_text_decodes_encoded_words_then_drops_line_breaks(value, expected) -> None:  # noqa: ANN001
    assert plain_text(value) == expected


def test_an_encoded_word_in_a_subject_or_name_cannot_add_headers() -> None:
    msg = EmailMessage()
    msg["To"] = mailbox("=?utf-8?q?Ann=0D=0ABcc:_spy@evil.example?=", "ann@example.nhs.uk")
    msg["Subject"] = plain_text(ENCODED_INJECTION)
    msg.set_content("Hello")
    back = BytesParser(policy=default).parsebytes(msg.as_bytes())
    assert back["Reply-To"] is None and back["Bcc"] is None
    assert back["Subject"] == "Budget Reply-To: attacker@evil.example Click here"
    assert back.get_content() == "Hello\n"
    (address,) = back["To"].addresses
    assert (address.display_name, address.addr_spec) == (
        "Ann Bcc: spy@evil.example",
        "ann@example.nhs.uk",
    )
