"""Who can be emailed, and how names and addresses go into headers safely.

In core because both the meetings calendar and the notifications feature use it.

An address is kept in the form it will be sent in: the domain IDNA-encoded
(`ann@bücher.example` is sent to `ann@xn--bcher-kva.example`, which every mail server
reads), the local part as typed. A local part with non-ASCII letters (`zoë@...`) cannot be
written in ASCII at all: such a message is sent with SMTPUTF8 (RFC 6531) when the mail
server offers it, and marked failed with that reason when it does not; the other
recipients are never held up by it.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr

from email_validator import EmailNotValidError, validate_email

from app.core.cleantext import plain_text


def valid_address(value: str | None) -> str | None:
    """The address as it will be sent, or None when it cannot be emailed (empty or
    malformed)."""
    value = (value or "").strip()
    if not value or any(ch in value for ch in "\r\n<>,;"):
        return None
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return None
    return f"{checked.local_part}@{checked.ascii_domain}"


def needs_smtputf8(address: str) -> bool:
    """True when the address can only be sent with SMTPUTF8 (a non-ASCII local part)."""
    return not address.isascii()


def mailbox(name: str, address: str) -> Address:
    """`Name <address>` for a header; the name is reduced to plain text first, then the
    email package quotes and encodes it. The address (from `valid_address`) is given as
    its two parts, because `Address(addr_spec=...)` refuses a non-ASCII local part even
    for a message that will go out with SMTPUTF8."""
    username, _at, domain = address.rpartition("@")
    return Address(display_name=plain_text(name), username=username, domain=domain)


def sender_address(mail_from: str) -> tuple[str, str]:
    """(display name, address) of the MAIL_FROM setting."""
    name, address = parseaddr(mail_from)
    return plain_text(name) or "FLS Tracker", address or "fls-tracker@localhost"
