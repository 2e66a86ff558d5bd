"""NHS.UK design-system components rendered once per distinct set of parameters.

The nhsuk-frontend-jinja macros are generic (every attribute goes through shared macros),
which made the page header alone about half the time of a small page. A component's HTML
depends only on its parameters, so the header, breadcrumbs and footer are rendered once
for each distinct set and kept, a bounded number per app. Values that change with every
request (the sign-out form's CSRF token) are passed as slots: the kept HTML holds a
placeholder and the value is put in, escaped, on the way out.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup, escape

KEPT_PER_APP = 1024
_EXTENSION_KEY = "fls_components"


class _Kept:
    def __init__(self) -> None:
        self.html: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()


def _macro(name: str) -> Any:
    module = current_app.jinja_env.get_template(f"nhsuk/components/{name}/macro.jinja").module
    return getattr(module, name)


def component(name: str, params: dict[str, Any], **slots: str) -> Markup:
    """The NHS.UK `name` macro's HTML for `params`, each `slots` key replaced by its value.

    A slot key is a placeholder written into `params` (for example in an `html` item) in
    place of a per-request value; it must not otherwise occur in the output.
    """
    kept: _Kept = current_app.extensions[_EXTENSION_KEY]
    key = name + json.dumps(params, sort_keys=True, default=repr)
    with kept.lock:
        html = kept.html.get(key)
        if html is not None:
            kept.html.move_to_end(key)
    if html is None:
        html = str(_macro(name)(params))
        with kept.lock:
            kept.html[key] = html
            while len(kept.html) > KEPT_PER_APP:
                kept.html.popitem(last=False)
    for slot, value in slots.items():
        html = html.replace(slot, str(escape(value)))
    return Markup(html)


def register(app: Flask) -> None:
    app.extensions[_EXTENSION_KEY] = _Kept()
    app.jinja_env.globals["nhsuk_component"] = component
