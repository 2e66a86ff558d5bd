"""Filters and globals every template may use, and how a missing variable behaves."""

import inspect

from flask import Flask, g
from flask_login import current_user
from jinja2 import ChainableUndefined, StrictUndefined, Undefined
from markupsafe import Markup

from app.core import access, dates
from app.toolkit import vocabulary

_PACKAGE_TEMPLATES = "nhsuk_frontend_jinja"


class StrictForOurTemplates(Undefined):
    """A missing variable in our templates is an error; inside the NHS.UK macros it is not.

    The nhsuk-frontend-jinja macros test optional parameters by chaining
    (`params.formGroup.classes`), so they need ChainableUndefined. Our own templates should
    fail loudly on a misspelt name instead of rendering a blank. Jinja compiles each
    template with its file name, so the frame that asks for the missing name tells whose
    template it is. Used in tests (JINJA_STRICT_UNDEFINED); production stays chainable.
    """

    __slots__ = ()

    def __new__(cls, *args, **kwargs):  # noqa: ANN002, ANN003, ANN204
        lenient = kwargs.get("name") in _OPTIONAL_ATTRIBUTES or _asked_by_package()
        return (ChainableUndefined if lenient else StrictUndefined)(*args, **kwargs)


# Names our templates may ask for that are missing by design: a form has no `csrf_token`
# field when CSRF protection is off (as in some tests); a macro called without a call block
# has no `caller` (the NHS.UK macros test `{% if caller %}`; calling it still fails).
_OPTIONAL_ATTRIBUTES = frozenset({"csrf_token", "caller"})


def _asked_by_package() -> bool:
    """Whether the nearest template code asking for the missing name is an NHS.UK macro."""
    here = inspect.currentframe()  # this function; then __new__; then who asked
    frame = here.f_back.f_back if here and here.f_back else None
    for _ in range(8):  # the template's frame is within a few calls
        if frame is None:
            return False
        filename = frame.f_code.co_filename
        if _PACKAGE_TEMPLATES in filename:
            return True
        if filename.endswith(".html"):
            return False  # one of ours
        frame = frame.f_back
    return False


def css_string(value: object) -> Markup:
    """Text as a quoted CSS string (a printed page's header): quotes, backslashes, line
    breaks and "<" (so nothing can close the <style>) become CSS escapes."""
    text = str(value)
    escaped = "".join(
        ch if ch.isalnum() or ch in " ,.:;-–()&'/" else f"\\{ord(ch):x} " for ch in text
    )
    return Markup(f'"{escaped}"')


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        uk_date=dates.uk_date,
        uk_datetime=dates.uk_datetime,
        uk_time=dates.uk_time,
        thousands=lambda n: "" if n is None else f"{n:,}",
        css_string=css_string,
    )
    app.jinja_env.globals.update(can=access.can, is_sponsor=access.is_sponsor, today=dates.today)
    # One RAG vocabulary for every template (app/core/tags.py draws the tag: `rag_tag`).
    app.jinja_env.globals.update(RAG=vocabulary.RAG, NO_RAG_TAG=vocabulary.NO_RAG_TAG)
    # `undefined` is how our macros leave out an NHS.UK macro's optional parameter (as in
    # the Nunjucks originals); a real value, so strict undefined in tests accepts it.
    app.jinja_env.globals["undefined"] = ChainableUndefined(name="undefined")

    @app.context_processor
    def common_context() -> dict:
        return {
            "site": getattr(g, "site", None),
            "site_role": getattr(g, "site_role", None),
            "user": current_user,
        }
