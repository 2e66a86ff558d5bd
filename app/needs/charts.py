"""A server-side SVG bar chart of fractures prevented by each scenario (no JavaScript)."""

from __future__ import annotations

import textwrap

from markupsafe import Markup, escape

from app.needs.model import NeedsResults, approx

WIDTH, BAR_HEIGHT, GAP, LEFT, RIGHT, TOP = 640, 18, 14, 200, 90, 30
SERIES = (("hip_5y", "Hip fractures", "#005eb8"), ("other_5y", "Other fractures", "#ffb81c"))


def scenario_chart(results: NeedsResults) -> Markup | None:
    """Horizontal bars: hip and other fractures prevented from five years of patients."""
    rows = [(r.scenario.name, r.benefits) for r in results.scenarios]
    values = [getattr(b, key) or 0 for _n, b in rows for key, _l, _c in SERIES]
    if not rows or not any(values):
        return None
    top = max(values)
    plot = WIDTH - LEFT - RIGHT
    group = BAR_HEIGHT * len(SERIES) + GAP
    height = TOP + group * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="needs-chart-title needs-chart-desc" '
        f'class="app-chart">',
        '<title id="needs-chart-title">Fractures prevented by each scenario</title>',
        '<desc id="needs-chart-desc">Bar chart of hip fractures and other fractures prevented '
        "from five years of patients, one pair of bars per scenario. The same figures are in "
        "the table above.</desc>",
    ]
    x = LEFT
    for _key, label, colour in SERIES:
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="15" font-size="13">{label}</text>')
        x += 160
    for i, (name, benefits) in enumerate(rows):
        y = TOP + i * group
        # The scenario's whole name, on up to three lines beside its pair of bars.
        lines = textwrap.wrap(name, 28) or [""]
        if len(lines) > 3:
            lines = [*lines[:2], lines[2][:27] + "…"]
        first_y = y + BAR_HEIGHT + 4 - 6 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="{LEFT - 8}" dy="{0 if k == 0 else 12}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{first_y}" font-size="12" text-anchor="end">{spans}</text>'
        )
        for j, (key, _label, colour) in enumerate(SERIES):
            value = getattr(benefits, key)
            by = y + j * BAR_HEIGHT
            if value is None:
                parts.append(
                    f'<text x="{LEFT + 4}" y="{by + 13}" font-size="12">not worked out</text>'
                )
                continue
            width = plot * value / top
            parts.append(
                f'<rect x="{LEFT}" y="{by}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LEFT + width + 6:.1f}" y="{by + 13}" font-size="12">'
                f"{approx(value)}</text>"
            )
    axis_y = TOP + group * len(rows)
    parts.append(
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{LEFT + plot}" y2="{axis_y}" stroke="#4c6272"/>'
    )
    for tick, label in ((LEFT, "0"), (LEFT + plot, approx(top))):
        parts.append(
            f'<text x="{tick}" y="{axis_y + 14}" font-size="11" text-anchor="middle">{label}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot / 2}" y="{axis_y + 30}" font-size="13" text-anchor="middle">'
        "Fractures prevented, from five years of patients</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
