"""In tests a missing variable in our templates is an error; the NHS.UK macros stay lenient."""

from __future__ import annotations

import pytest
from flask import render_template_string
from jinja2 import UndefinedError


def test_a_misspelt_variable_in_our_template_fails(app) -> None:
    assert app.config["JINJA_STRICT_UNDEFINED"]
    with pytest.raises(UndefinedError):
        render_template_string("<p>{{ sitee.name }}</p>", site=None)


def test_optional_variables_need_a_default(app) -> None:
    assert render_template_string("{{ 'yes' if saved | default(false) else 'no' }}") == "no"


def test_nhsuk_macros_still_skip_missing_parameters(app) -> None:
    html = render_template_string(
        '{% from "nhsuk/components/button/macro.jinja" import button %}'
        '{{ button({"text": "Save", "classes": undefined}) }}'
    )
    assert "Save" in html and "nhsuk-button" in html


def test_css_string_cannot_close_the_style_or_the_string() -> None:
    """A site name goes into the printed page header as a CSS string (#32 item 7)."""
    from app.core.template_helpers import css_string

    quoted = str(css_string('Riverside "FLS"</style><script>\\'))
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner
    assert "\\22 FLS\\22 " in inner and "\\3c /style\\3e " in inner
