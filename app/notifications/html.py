"""The HTML part of an email: the plain text's paragraphs in the NHS look, with one
button to the page the email is about.

Mail readers accept little CSS, so the layout is one centred table with inline styles;
every value comes in through Jinja's autoescaping, so people's text stays text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, render_template


@dataclass
class Block:
    """A paragraph (lines) or a list (items, each with an optional link)."""

    lines: list[str] = field(default_factory=list)
    items: list[tuple[str, str | None]] = field(default_factory=list)


def _own_link(line: str) -> str | None:
    """A line that is one of the app's own links (built on BASE_URL), else None: only our
    links become links, never an address someone typed."""
    candidate = line.strip()
    base = current_app.config["BASE_URL"].rstrip("/") + "/"
    if candidate.startswith(base) and " " not in candidate:
        return candidate
    return None


def blocks(text: str) -> list[Block]:
    """Paragraphs split on blank lines; "- " lines are list items, and a link on the line
    after an item (indented) is that item's link."""
    result = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        block = Block()
        for line in chunk.strip("\n").split("\n"):
            if line.startswith("- "):
                block.items.append((line[2:], None))
            elif block.items and line.startswith("  ") and (link := _own_link(line)):
                block.items[-1] = (block.items[-1][0], link)
            else:
                block.lines.append(line)
        if block.lines or block.items:
            result.append(block)
    return result


def render(
    subject: str,
    text: str,
    link: str | None,
    button: str,
    choices_link: str,
    unsubscribe: tuple[str, str] | None,
) -> str:
    """The whole HTML document; `unsubscribe` is (what it stops, link) or None."""
    return render_template(
        "notifications/email/message.html",
        subject=subject,
        blocks=blocks(text),
        link=link,
        button=button,
        choices_link=choices_link,
        unsubscribe=unsubscribe,
        own_link=_own_link,
    )
