"""Small helpers views share: safe redirects, full page or htmx fragment, form status codes."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import render_template
from flask_wtf import FlaskForm

from app.extensions import htmx


def is_safe_next(target: str | None) -> bool:
    """Only local paths: a login link must never bounce someone to another site."""
    if not target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target


def form_status(form: FlaskForm) -> int:
    """422 when a submitted form has errors, so browsers, htmx and tests all see the failure."""
    return 422 if form.is_submitted() and form.errors else 200


def page_or_fragment(page: str, fragment: str, status: int = 200, **context) -> tuple[str, int]:
    """The fragment for htmx requests, the full page otherwise; both get the same context."""
    return render_template(fragment if htmx else page, **context), status
