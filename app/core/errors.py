"""Errors a service raises, and the error pages every response falls back on."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.extensions import db, htmx

log = logging.getLogger(__name__)


class ServiceError(ValueError):
    """A rule a service enforces; `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class StaleEdit(Exception):
    """Someone saved the record after this person opened it: show both versions, save nothing.

    `current` and `yours` are (label, value) pairs already formatted for people.
    """

    what: str
    current: list[tuple[str, str]] = field(default_factory=list)
    yours: list[tuple[str, str]] = field(default_factory=list)
    back_url: str | None = None
    changed_by: str | None = None
    changed_at: str | None = None


def check_version(submitted: int | str | None, current: int, stale: StaleEdit) -> None:
    """Raise `stale` when the version the form was built from is not the stored one."""
    try:
        submitted_number = int(submitted) if submitted not in (None, "") else None
    except (TypeError, ValueError):
        submitted_number = None
    if submitted_number != current:
        raise stale


def apply_form_errors(form, error: ServiceError) -> None:  # noqa: ANN001 - any WTForm
    """Attach a service's message to the field it concerns (or the form) for re-rendering."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*list(target.errors), error.message]
    else:
        form.form_errors.append(error.message)


# Response headers that make htmx replace the page's main content instead of its target.
HTMX_WHOLE_PAGE = {
    "HX-Retarget": "#maincontent",
    "HX-Reswap": "outerHTML",
    "HX-Reselect": "#maincontent",
}

ERROR_TITLES = {
    400: "The request could not be understood",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "Someone else changed this",
    413: "The file is too large",
    422: "Check the information you entered",
    500: "Sorry, there is a problem with the service",
}


def _render_error(status: int, message: str | None = None, **context) -> tuple[str, int]:
    template = "errors/_error.html" if htmx and status != 409 else "errors/error.html"
    if status == 409:
        template = "errors/409.html"
    return (
        render_template(
            template,
            status=status,
            title=ERROR_TITLES.get(status, "Something went wrong"),
            message=message,
            **context,
        ),
        status,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(_error: CSRFError):
        return _render_error(
            400,
            "This form has expired or was sent from somewhere else. Go back, refresh the page "
            "and try again. Nothing was saved.",
        )

    @app.errorhandler(StaleEdit)
    def stale_edit(error: StaleEdit):
        db.session.rollback()
        html, status = _render_error(409, stale=error)
        if not htmx:
            return html, status
        # An htmx edit swaps a fragment (a row, a cell): show the whole 409 page instead, so
        # the person sees both versions and nothing looks saved.
        return html, status, HTMX_WHOLE_PAGE

    @app.errorhandler(StaleDataError)
    def version_race(_error: StaleDataError):
        # Two saves of the same row raced and this one lost (the version column moved on
        # between its read and its UPDATE): nothing of it was stored.
        db.session.rollback()
        return _render_error(409, stale=StaleEdit(what="this record"))

    @app.errorhandler(413)
    def too_large(_error: HTTPException):
        limit_mb = (app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
        return _render_error(
            413, f"Files must be smaller than {limit_mb} MB. Nothing was saved; try a smaller file."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response | tuple[str, int]:
        if error.code == 500:
            return unexpected(error)
        if error.code is None or error.code < 400:
            return error.get_response()
        description = error.description if error.code in (400, 403, 405, 422) else None
        if description and description.startswith("The browser (or proxy)"):
            description = None
        return _render_error(error.code, description)

    # Registered for 500 rather than Exception so tests (PROPAGATE_EXCEPTIONS) see the cause.
    @app.errorhandler(500)
    def unexpected(_error: HTTPException):
        db.session.rollback()
        log.error("Unhandled error on %s %s", request.method, request.path)
        return _render_error(500)
