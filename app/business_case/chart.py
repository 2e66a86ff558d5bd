"""Server-side SVG charts of the economic case (no JavaScript): the tornado and the
acceptability curve. The page shows the SVG with the same figures in its tables; the Word
document shows the PNG drawn from the very same SVG."""

from __future__ import annotations

from markupsafe import Markup, escape

from app.business_case.uncertainty import Probabilistic, Tornado
from app.core.raster import svg_to_png

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 300, 70, 20, 40, 50


def money_short(value: float) -> str:
    if value >= 1_000_000:
        return f"£{value / 1_000_000:.1f}m"
    if value >= 1000:
        return f"£{value / 1000:.0f}k"
    return f"£{value:.0f}"


def _svg_open(title: str, desc: str, ident: str, height: int, for_print: bool) -> list[str]:
    size = f'width="{WIDTH}" height="{height}"' if for_print else 'width="100%"'
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" {size} '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" class="app-chart" '
        'font-family="Arial, sans-serif">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def money_signed(value: float) -> str:
    return ("−" if value < 0 else "") + money_short(abs(value))


def tornado_svg(result: Tornado, *, for_print: bool = False) -> Markup:
    """One bar per input: net benefit with the input at the low and the high end of its
    range, about the central value; the widest swing at the top."""
    label_w, row_h, top_pad = 330, 26, 46
    height = top_pad + row_h * len(result.bars) + 40
    values = [result.central] + [v for b in result.bars for v in (b.low_result, b.high_result)]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    x0, plot_w = label_w + 10, WIDTH - label_w - 30

    def x(value: float) -> float:
        return x0 + plot_w * (value - lo) / span

    parts = _svg_open(
        "What moves the answer most",
        f"Tornado chart: net benefit for one year's patients at £{result.willingness:,.0f} a "
        "QALY, with each input at the low (blue) and high (yellow) end of its range. The same "
        "figures are in the table beside it.",
        "tornado",
        height,
        for_print,
    )
    parts.append('<rect x="10" y="8" width="12" height="12" fill="#005eb8"/>')
    parts.append('<text x="28" y="19" font-size="13">Input at its low end</text>')
    parts.append('<rect x="200" y="8" width="12" height="12" fill="#ffb81c"/>')
    parts.append('<text x="218" y="19" font-size="13">Input at its high end</text>')
    centre = x(result.central)
    for i, bar in enumerate(result.bars):
        y = top_pad + i * row_h
        parts.append(
            f'<text x="{label_w}" y="{y + 16}" font-size="11" text-anchor="end">'
            f"{escape(bar.label[:56])}</text>"
        )
        for value, colour in ((bar.low_result, "#005eb8"), (bar.high_result, "#ffb81c")):
            left, right = sorted((centre, x(value)))
            parts.append(
                f'<rect x="{left:.1f}" y="{y + 4}" width="{max(right - left, 1):.1f}" '
                f'height="{row_h - 8}" fill="{colour}"/>'
            )
    base = top_pad + row_h * len(result.bars)
    parts.append(
        f'<line x1="{centre:.1f}" y1="{top_pad - 4}" x2="{centre:.1f}" y2="{base}" '
        'stroke="#212b32"/>'
    )
    if lo < 0 < hi:
        parts.append(
            f'<line x1="{x(0):.1f}" y1="{top_pad - 4}" x2="{x(0):.1f}" y2="{base}" '
            'stroke="#d5281b" stroke-dasharray="4 3"/>'
        )
    for value in (lo, result.central, hi):
        parts.append(
            f'<text x="{x(value):.1f}" y="{base + 16}" font-size="11" text-anchor="middle">'
            f"{money_signed(value)}</text>"
        )
    parts.append(
        f'<text x="{WIDTH / 2:.1f}" y="{base + 34}" font-size="12" text-anchor="middle">'
        f"Net benefit at £{result.willingness:,.0f} a QALY for one year's patients "
        "(above £0: cost-effective)</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def acceptability_svg(run: Probabilistic, *, for_print: bool = False) -> Markup:
    """The chance the service is cost-effective against what is paid for a QALY."""
    curve = run.curve()
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_w = curve[-1][0] or 1.0

    def point(w: float, chance: float) -> tuple[float, float]:
        return LEFT + plot_w * w / top_w, TOP + plot_h * (1 - chance)

    parts = _svg_open(
        "Chance the service is cost-effective",
        f"Acceptability curve from {len(run.draws):,} runs with every input drawn from its "
        "range: the chance the service is cost-effective against the most the NHS will pay "
        "for a QALY. NICE's range, £20,000 to £30,000, is shaded.",
        "ceac",
        HEIGHT,
        for_print,
    )
    left, right = point(20_000, 1)[0], point(30_000, 1)[0]
    parts.append(
        f'<rect x="{left:.1f}" y="{TOP}" width="{right - left:.1f}" height="{plot_h}" '
        'fill="#e8edee"/>'
    )
    base = TOP + plot_h
    for fraction in (0, 0.5, 1):
        y = base - plot_h * fraction
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#d8dde0"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{fraction:.0%}</text>"
        )
    path = " ".join(f"{a:.1f},{b:.1f}" for a, b in (point(w, c) for w, c in curve))
    parts.append(f'<polyline points="{path}" fill="none" stroke="#005eb8" stroke-width="3"/>')
    for w in range(0, int(top_w) + 1, 10_000):
        parts.append(
            f'<text x="{point(w, 0)[0]:.1f}" y="{base + 16}" font-size="11" '
            f'text-anchor="middle">£{w // 1000}k</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{base + 36}" font-size="13" text-anchor="middle">'
        "Most the NHS pays for a QALY (shaded: NICE's £20,000 to £30,000)</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def png(svg: Markup) -> bytes:
    """A chart drawn for print as a PNG for Word (which cannot show SVG everywhere)."""
    return svg_to_png(str(svg), scale=2.0)
