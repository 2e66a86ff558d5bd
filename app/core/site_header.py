"""The page header (NHS.UK header macro), drawn once per distinct content.

The header of a site page (service name, account links, eleven section links, search box)
was about a third of a plan page's render time (issue #23): the macro indents every line
it nests and runs an attribute macro per link, on every page, for the same few outputs.
Its markup depends only on its parameters, so it is kept per distinct parameters (user's
name, admin or not, sections and the current one, search). The one part that changes on
every request, the sign-out form's CSRF token, is kept as a placeholder and put back.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import Flask, current_app, g
from markupsafe import Markup

_MACRO = "nhsuk/components/header/macro.jinja"
_KEPT = 256  # distinct headers per worker: people × sites × sections in use at once
_TOKEN = "\x00csrf-token\x00"  # cannot occur in markup the macro draws

_cache: OrderedDict[str, str] = OrderedDict()
_lock = Lock()


def site_header(params: dict) -> Markup:
    """What `header(params)` of the NHS.UK macros draws, reused while the same is asked."""
    draw = current_app.jinja_env.get_template(_MACRO).module.header
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if not isinstance(token, str) or not token:
        return draw(params)  # no token to put back: draw it (never keep a token)
    key = repr(params).replace(token, _TOKEN)
    with _lock:
        html = _cache.get(key)
        if html is not None:
            _cache.move_to_end(key)
    if html is None:
        html = str(draw(params)).replace(token, _TOKEN)
        with _lock:
            _cache[key] = html
            if len(_cache) > _KEPT:
                _cache.popitem(last=False)
    return Markup(html.replace(_TOKEN, token))


def register(app: Flask) -> None:
    app.jinja_env.globals["site_header"] = site_header
