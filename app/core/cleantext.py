"""Text made safe for the file formats the app writes (Word, Excel, CSV, iCalendar).

All of them are XML or line-based, and a character people paste by accident (a vertical
tab from a PDF, a NUL from a database dump) either breaks the file or the library writing
it. One rule for every output: such characters are dropped; emoji and right-to-left text
are ordinary characters and stay.
"""

from __future__ import annotations

import re
from email.headerregistry import HeaderRegistry

# Everything XML 1.0 forbids: C0 controls except tab/newline/return, lone surrogates,
# U+FFFE and U+FFFF. Excel's own list (openpyxl's ILLEGAL_CHARACTERS_RE) is a subset.
_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAKS = re.compile(r"[\t\n\u2028\u2029]+")


def clean_text(text: object) -> str:
    """Text any output can hold: invalid characters gone, line endings unified to \\n."""
    if text is None or text == "":
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVALID_XML.sub("", value)


def one_line(text: object) -> str:
    """Text for a single-line field (a calendar title, a file name): breaks become spaces."""
    return _LINE_BREAKS.sub(" ", clean_text(text)).strip()


# The email package's own reader of header text: it decodes RFC 2047 encoded words
# ("=?utf-8?q?...?="), wherever they sit, exactly as it will when a header is set.
_HEADER_READER = HeaderRegistry()
# Characters that end a line or are not text at all: C0 and C1 controls (CR, LF, NEL,
# vertical tab...), DEL, the Unicode line and paragraph separators, lone surrogates and
# the two non-characters. Each becomes a space, so "Budget\r\nReply-To" reads as two words.
_NOT_PLAIN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
# Each decoding shortens the text, so this is only a guard against surprises.
_MAX_DECODINGS = 20


def _flattened(text: str) -> str:
    return " ".join(_NOT_PLAIN.sub(" ", text).split())


def plain_text(value: object) -> str:
    """One line of plain text for an email header or a calendar name: encoded words are
    decoded (again and again, until none is left, since one can hide another), then every
    line break and control character becomes a space and runs of space become one.

    Used for every value that goes into a header (subjects, display names, site names) and
    for calendar ATTENDEE and ORGANIZER names, so that no value a person typed can start a
    new header, a new body or a new calendar property."""
    text = _flattened("" if value is None else str(value))
    for _ in range(_MAX_DECODINGS):
        decoded = _flattened(str(_HEADER_READER("subject", text)))
        if decoded == text:
            return text
        text = decoded
    return text.replace("=?", "= ?")  # never reached in practice: no encoded word survives
