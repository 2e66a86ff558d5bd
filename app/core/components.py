"""NHS.UK design-system components rendered once per distinct set of parameters.

The nhsuk-frontend-jinja macros are generic (every attribute goes through shared macros):
the page header alone was about half the time of a small page. A component's HTML depends
only on its parameters (and, for a `{% call %}` block, its body), so every component's
HTML is kept per distinct set of JSON-like parameters, a bounded number per app:

- `KeptComponentLoader` serves each `nhsuk/components/<name>/macro.jinja` as a thin macro
  of the same name that asks `render_kept`; the design system's own file stays reachable
  as `nhsuk-uncached/components/<name>/macro.jinja`. Templates import components as usual.
- A call with a body (`{% call card(...) %}`), or parameters holding anything other than
  strings, numbers, lists and dicts, is rendered each time, as before.
- Values that change with every request (the sign-out form's CSRF token in the header)
  are passed as slots to `component`: the kept HTML holds a placeholder and the value is
  put in, escaped, on the way out.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from jinja2 import BaseLoader, Environment, TemplateNotFound, Undefined, UndefinedError
from markupsafe import Markup, escape

KEPT_PER_APP = 1024
UNCACHED = "nhsuk-uncached/"
_EXTENSION_KEY = "fls_components"
_MACRO_FILE = re.compile(r"nhsuk/components/([a-z-]+)/macro\.jinja")
_MACRO_NAME = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(")
_WRAPPER = """\
{%- from "nhsuk-uncached/components/DIR/macro.jinja" import NAME as design_system -%}
{%- macro NAME(params = {}) -%}
{%- if caller -%}{{ design_system(params, caller=caller) }}
{%- else -%}{{ nhsuk_render_kept(design_system, "DIR", params) }}{%- endif -%}
{%- endmacro -%}
"""


class KeptComponentLoader(BaseLoader):
    """In front of the design system's loader: its component macros, kept once rendered."""

    def __init__(self, design_system: BaseLoader) -> None:
        self.design_system = design_system

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        if template.startswith(UNCACHED):
            real = "nhsuk/" + template.removeprefix(UNCACHED)
            return self.design_system.get_source(environment, real)
        found = _MACRO_FILE.fullmatch(template)
        if found is None:
            raise TemplateNotFound(template)
        source, filename, uptodate = self.design_system.get_source(environment, template)
        name = _MACRO_NAME.search(source)
        if name is None:
            return source, filename, uptodate
        wrapper = _WRAPPER.replace("DIR", found.group(1)).replace("NAME", name.group(1))
        # Keeping the design system's file name makes the strict-undefined check in tests
        # treat the wrapper as package code, as it treats the macro it stands for.
        return wrapper, filename, uptodate


class _Kept:
    def __init__(self) -> None:
        self.html: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()


def _json_or_undefined(value: object) -> str:
    if isinstance(value, Undefined):
        return "\0undefined"  # how templates leave out an optional parameter
    raise TypeError  # anything else may not say all it holds in its repr: not kept


def _key(name: str, params: Any) -> str | None:
    try:
        return name + json.dumps(params, sort_keys=True, default=_json_or_undefined)
    except (TypeError, ValueError, UndefinedError):  # tests' strict undefined refuses it
        return None


def render_kept(macro: Callable[[Any], str], name: str, params: Any) -> Markup:
    """`macro(params)`, rendered once per distinct `params` and then kept."""
    key = _key(name, params)
    if key is None:
        return Markup(macro(params))
    kept: _Kept = current_app.extensions[_EXTENSION_KEY]
    with kept.lock:
        html = kept.html.get(key)
        if html is not None:
            kept.html.move_to_end(key)
            return Markup(html)
    html = str(macro(params))
    with kept.lock:
        kept.html[key] = html
        while len(kept.html) > KEPT_PER_APP:
            kept.html.popitem(last=False)
    return Markup(html)


def component(name: str, params: dict[str, Any], **slots: str) -> Markup:
    """The NHS.UK component `name` for `params`, each `slots` key replaced by its value.

    A slot key is a placeholder written into `params` (for example in an `html` item) in
    place of a per-request value; it must not otherwise occur in the output.
    """
    path = f"{UNCACHED}components/{name}/macro.jinja"
    module = current_app.jinja_env.get_template(path).module
    macro_name = re.sub(r"-(\w)", lambda m: m.group(1).upper(), name)
    html = str(render_kept(getattr(module, macro_name), name, params))
    for slot, value in slots.items():
        html = html.replace(slot, str(escape(value)))
    return Markup(html)


def register(app: Flask) -> None:
    app.extensions[_EXTENSION_KEY] = _Kept()
    app.jinja_env.globals["nhsuk_component"] = component
    app.jinja_env.globals["nhsuk_render_kept"] = render_kept
