"""Text that looks like markup is escaped wherever the NHS.UK components are drawn.

The components used to be kept once rendered, keyed on their parameters as JSON, which
cannot tell `Markup("<b>a</b>")` from the text "<b>a</b>": once the markup had been drawn,
the text came back unescaped (issue 28 item 4)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from markupsafe import Markup

from app.core.dates import today
from app.core.tags import rag_tag, tag
from app.toolkit.vocabulary import NO_RAG_TAG, RAG

LOOKS_LIKE_MARKUP = '<b id="x">a</b>'
ESCAPED = "&lt;b id=&#34;x&#34;&gt;a&lt;/b&gt;"

# (component directory, macro, parameters around one value) for the components the
# templates draw with text in them.
COMPONENTS = [
    ("tag", "tag", lambda v: {"text": v}),
    ("button", "button", lambda v: {"text": v}),
    ("inset-text", "insetText", lambda v: {"text": v}),
    ("details", "details", lambda v: {"summaryText": v, "text": "More"}),
    ("warning-callout", "warningCallout", lambda v: {"heading": "Note", "text": v}),
    ("summary-list", "summaryList", lambda v: {"rows": [{"key": {"text": "Title"},
                                                        "value": {"text": v}}]}),
    ("breadcrumb", "breadcrumb", lambda v: {"items": [{"href": "/", "text": v}]}),
    ("footer", "footer", lambda v: {"copyright": {"text": v}}),
    ("header", "header", lambda v: {"service": {"text": v, "href": "/"}}),
]  # fmt: skip


@pytest.mark.parametrize("directory, macro, params", COMPONENTS)
def test_text_is_escaped_after_the_same_markup_was_drawn(app, directory, macro, params) -> None:  # noqa: ANN001
    template = app.jinja_env.from_string(
        f'{{% from "nhsuk/components/{directory}/macro.jinja" import {macro} %}}'
        f"{{{{ {macro}(params) }}}}"
    )
    with app.test_request_context("/"):
        trusted = template.render(params=params(Markup(LOOKS_LIKE_MARKUP)))
        typed = template.render(params=params(LOOKS_LIKE_MARKUP))
    assert LOOKS_LIKE_MARKUP in trusted
    assert LOOKS_LIKE_MARKUP not in typed and ESCAPED in typed


def test_our_tags_escape_text_and_trust_markup(app) -> None:  # noqa: ANN001
    template = app.jinja_env.from_string('{{ nhsuk_tag(text, "red") }}{{ rag_tag("red", text) }}')
    with app.test_request_context("/"):
        trusted = template.render(text=Markup(LOOKS_LIKE_MARKUP))
        typed = template.render(text=LOOKS_LIKE_MARKUP)
    assert trusted.count(LOOKS_LIKE_MARKUP) == 2
    assert LOOKS_LIKE_MARKUP not in typed and typed.count(ESCAPED) == 2


def test_a_rag_tag_carries_its_word_and_colour() -> None:
    for key, status in RAG.items():
        assert rag_tag(key) == (
            f'<strong class="nhsuk-tag nhsuk-tag--{status.tag} app-nowrap">{status.label}</strong>'
        )
    assert rag_tag(None, "Plan: ", empty="No tasks", classes="") == (
        f'<strong class="nhsuk-tag nhsuk-tag--{NO_RAG_TAG}">Plan: No tasks</strong>'
    )


def test_the_plan_rows_draw_the_same_tags_as_the_templates(
    login, site_world, make_plan, make_task
) -> None:
    site = site_world["site"]
    make_plan(site)
    make_task(site, phase=2, title="Overdue one", due_date=today() - timedelta(days=3),
              essential=True, reported_rag="green")  # fmt: skip
    html = login(site_world["viewer"]).get(f"/sites/{site.id}/plan").get_data(as_text=True)
    assert str(rag_tag("red", classes="app-tag-s app-nowrap")) in html
    assert (
        str(rag_tag("green", "Reported ", classes="app-tag-s app-nowrap app-tag-reported")) in html
    )
    assert str(tag("Essential", "white", "app-tag-s")) in html


def test_tag_markup_is_written_in_one_python_module() -> None:
    """Rows drawn in Python call app/core/tags.py rather than writing the tag again."""
    root = Path(__file__).parents[2] / "app"
    writers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "nhsuk-tag nhsuk-tag--" in path.read_text(encoding="utf-8")
    )
    assert writers == ["core/tags.py"]
