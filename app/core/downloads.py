"""One way to send a generated file: one name pattern, one set of content types.

Every download is called `<site-slug>-<document>-<YYYY-MM-DD>.<ext>`, so a folder of
downloads sorts by site, then document, then date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from io import BytesIO

from flask import Response, send_file

from app.core.dates import today

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
    "ics": "text/calendar",
    "png": "image/png",
    "svg": "image/svg+xml",
    "json": "application/json",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str | None, fallback: str = "site") -> str:
    """'St Mary's Hospital – FLS' -> 'st-mary-s-hospital-fls' (ASCII, at most 60 characters)."""
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")[:60].strip("-") or fallback


def download_name(site_name: str | None, document: str, ext: str, on: date | None = None) -> str:
    prefix = slug(site_name) if site_name is not None else "fls"
    return f"{prefix}-{slug(document, 'download')}-{(on or today()):%Y-%m-%d}.{ext}"


def download(
    data: bytes | str, *, site_name: str | None, document: str, ext: str, on: date | None = None
) -> Response:
    """An attachment response for generated content (site_name None: not one site's file)."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    return send_file(
        BytesIO(content),
        mimetype=MIMETYPES[ext],
        as_attachment=True,
        download_name=download_name(site_name, document, ext, on),
    )
