"""Small server-side SVG bar charts of the portfolio counts (no JavaScript).

Each chart has a <title> and <desc> and is labelled role="img"; the page shows the same
counts as a table beside it, so nothing depends on seeing the bars or their colours.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.toolkit.vocabulary import RAG_STATUSES

WIDTH, BAR, GAP, LEFT, RIGHT, TOP = 400, 18, 8, 185, 40, 8
DEFAULT_COLOUR = "#005eb8"
RAG_FILLS = {status.key: status.fill for status in RAG_STATUSES}
NO_PLAN_FILL = "#768692"


def bar_chart(
    chart_id: str, title: str, bars: list[tuple[str, int, str | None]], unit: str = "sites"
) -> Markup:
    """Horizontal bars, one per (label, count, colour); the count is written beside each."""
    top = max((count for _l, count, _c in bars), default=0) or 1
    plot = WIDTH - LEFT - RIGHT
    axis_y = TOP + len(bars) * (BAR + GAP)
    height = axis_y + 30
    described = ", ".join(f"{label}: {count}" for label, count, _c in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="app-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Bar chart of the number of {unit}. {escape(described)}.'
        "</desc>",
    ]
    for i, (label, count, colour) in enumerate(bars):
        y = TOP + i * (BAR + GAP)
        width = plot * count / top
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + BAR - 4}" font-size="13" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{LEFT}" y="{y}" width="{width:.1f}" height="{BAR}" '
            f'fill="{colour or DEFAULT_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{LEFT + width + 5:.1f}" y="{y + BAR - 4}" font-size="13">{count}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{LEFT + plot}" y2="{axis_y}" stroke="#4c6272"/>'
    )
    parts.append(
        f'<text x="{LEFT + plot / 2:.0f}" y="{axis_y + 20}" font-size="12" '
        f'text-anchor="middle">Number of {unit}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
