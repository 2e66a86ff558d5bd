"""Text made safe for the file formats the app writes (Word, Excel, CSV, iCalendar).

All of them are XML or line-based, and a character people paste by accident (a vertical
tab from a PDF, a NUL from a database dump) either breaks the file or the library writing
it. One rule for every output: such characters are dropped; emoji and right-to-left text
are ordinary characters and stay.
"""

from __future__ import annotations

import re

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
