"""Small run charts for the steering-group report, drawn as SVG and rasterised in-process
(app/core/raster.py), since Word cannot show SVG.

Every sparkline uses the same scale, 0 to 100 per cent, so two KPIs side by side can be
compared by eye; the first and last values are written at the ends of the line, the
median is a grey line and the target, if any, a dashed green one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from statistics import median

from markupsafe import escape

from app.core.raster import svg_to_png

LINE, MEDIAN, TARGET, TEXT = "#005eb8", "#aeb7bd", "#007f3b", "#212b32"
WIDTH, HEIGHT = 180, 44
LEFT, RIGHT, TOP, BOTTOM = 30, 30, 4, 4  # room for the first and last values


def _fmt(value: float) -> str:
    return f"{value:.0f}%"


def sparkline_svg(values: Sequence[float], target: float | None = None) -> str:
    """Percentages oldest first, on a fixed 0-100 scale."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    def x(index: int) -> float:
        return LEFT + plot_w * index / max(len(values) - 1, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Arial, sans-serif" font-size="10">',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
        f'stroke="#d8dde0" stroke-width="0.5"/>',
    ]
    if values:
        centre = y(median(values))
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{centre:.1f}" y2="{centre:.1f}" '
            f'stroke="{MEDIAN}" stroke-width="1"/>'
        )
    if target is not None:
        level = y(target)
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{level:.1f}" y2="{level:.1f}" '
            f'stroke="{TARGET}" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    if values:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.6" '
            'stroke-linejoin="round"/>'
        )
        for index in {0, len(values) - 1}:
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(values[index]):.1f}" r="2" '
                         f'fill="{LINE}"/>')  # fmt: skip
        first, last = values[0], values[-1]
        parts.append(
            f'<text x="{LEFT - 3}" y="{y(first) + 3.5:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_fmt(first))}</text>"
        )
        parts.append(
            f'<text x="{LEFT + plot_w + 3}" y="{y(last) + 3.5:.1f}" fill="{TEXT}">'
            f"{escape(_fmt(last))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def run_chart_png(values: Sequence[float], target: float | None = None) -> bytes:
    """The sparkline as a PNG at three times its size, sharp when printed."""
    return _png(tuple(values), target)


@lru_cache(maxsize=512)
def _png(values: tuple[float, ...], target: float | None) -> bytes:
    # Drawing with Cairo was half of the report's time, though a KPI's chart changes only
    # when a value is entered: charts are kept by their content (a few kB each).
    return svg_to_png(sparkline_svg(values, target), scale=3)
