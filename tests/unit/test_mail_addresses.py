"""Who can be emailed, and names and subjects that cannot break a header."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from app.core.addresses import header_text, mailbox, valid_address


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ann@example.nhs.uk", "ann@example.nhs.uk"),
        ("  Ann@Example.NHS.uk ", "Ann@example.nhs.uk"),
        ("", None),
        (None, None),
        ("ann@", None),
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
    msg["Subject"] = header_text("Board\nBcc: spy@example.com")
    msg.set_content("Hello")
    wire = msg.as_bytes()
    assert b"\nBcc:" not in wire
    assert msg["Subject"] == "Board Bcc: spy@example.com"
    assert msg["To"].addresses[0].addr_spec == "ann@example.nhs.uk"


def test_the_email_package_refuses_a_raw_line_break() -> None:
    msg = EmailMessage()
    with pytest.raises(ValueError):
        msg["Subject"] = "Board\r\nBcc: spy@example.com"
