"""Small helpers views share: safe redirects, form status codes, toolkit items named in URLs."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, request
from flask_wtf import FlaskForm


def is_safe_next(target: str | None) -> bool:
    """Only a path on this server: a link must never bounce someone to another site.

    Browsers read `//host`, `/\\host` and `////host` as another host and drop tabs and
    newlines inside URLs, so each of those is refused along with any scheme or host.
    """
    if not target or not target.startswith("/") or len(target) > 2000:
        return False
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F or ch == "\\" for ch in target):
        return False
    if target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this server (a same-host full URL becomes its path)."""
    if target and not target.startswith("/"):
        parts = urlsplit(target)
        if parts.scheme in ("http", "https") and parts.netloc == request.host:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
    return target if is_safe_next(target) else default


def form_status(form: FlaskForm) -> int:
    """422 when a submitted form has errors, so browsers, htmx and tests all see the failure."""
    return 422 if form.is_submitted() and form.errors else 200


Key = TypeVar("Key")
Item = TypeVar("Item")


def found_or_404(
    lookup: Callable[[Key], Item], key: Key, *, within: Collection[Key] | None = None
) -> Item:
    """A toolkit item (KPI, phase, period...) named in a URL, or 404: `lookup(key)`, where a
    KeyError or ValueError means there is no such item, and a key outside `within` too."""
    if within is not None and key not in within:
        abort(404)
    try:
        return lookup(key)
    except (KeyError, ValueError):
        abort(404)
