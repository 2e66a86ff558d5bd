"""Who can be emailed, and how names and addresses go into headers safely.

In core because both the meetings calendar and the notifications feature use it.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr

from email_validator import EmailNotValidError, validate_email


def valid_address(value: str | None) -> str | None:
    """The address ready to use, or None when it cannot be emailed (empty or malformed)."""
    value = (value or "").strip()
    if not value or any(ch in value for ch in "\r\n<>,;"):
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def header_text(text: str) -> str:
    """One line of text for a header. Line breaks would start a new header (header
    injection), so every run of white space, CR and LF included, becomes one space."""
    return " ".join(str(text).split())


def mailbox(name: str, address: str) -> Address:
    """`Name <address>` for a header; the email package quotes and encodes the name."""
    return Address(display_name=header_text(name), addr_spec=address)


def sender_address(mail_from: str) -> tuple[str, str]:
    """(display name, address) of the MAIL_FROM setting."""
    name, address = parseaddr(mail_from)
    return header_text(name) or "FLS Tracker", address or "fls-tracker@localhost"
