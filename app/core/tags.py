"""The NHS.UK tag as our pages draw it, in one place.

`tag` writes the design system's tag markup (`<strong class="nhsuk-tag nhsuk-tag--<colour>
...">text</strong>`) and `rag_tag` the RAG tag on top of it (the word in the tag, never
colour alone; words and colours from `app.toolkit.vocabulary`). Templates call them as the
globals `nhsuk_tag` and `rag_tag`; the rows the plan and portfolio tables draw in Python
(`app/plan/rows.py`, `app/portfolio/rows.py`) call them directly, so the markup is
written once. Text is escaped on every call (a `Markup` value is trusted as it is) and
nothing is kept between calls: a tag costs a couple of microseconds.
"""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup, escape

from app.toolkit.vocabulary import NO_RAG_TAG, RAG


def tag(text: str, colour: str, classes: str = "") -> Markup:
    """A tag of the given colour (an NHS.UK tag colour: "red", "white", ...)."""
    extra = f" {escape(classes)}" if classes else ""
    return Markup(
        f'<strong class="nhsuk-tag nhsuk-tag--{escape(colour)}{extra}">{escape(text)}</strong>'
    )


def rag_tag(
    rag: str | None,
    prefix: str = "",
    empty: str = "Not applicable",
    classes: str = "app-nowrap",
) -> Markup:
    """A RAG rating as a tag: its word (after `prefix`) in its colour, or `empty` in the
    no-rating colour when there is none."""
    status = RAG.get(rag) if rag else None
    label, colour = (status.label, status.tag) if status else (empty, NO_RAG_TAG)
    return tag(Markup(f"{escape(prefix)}{escape(label)}") if prefix else label, colour, classes)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(nhsuk_tag=tag, rag_tag=rag_tag)
