"""A server-side SVG chart of cost against savings by year (no JavaScript; the page and the
Word document show the same figures in a table). The document renders it to PNG."""

from __future__ import annotations

from markupsafe import Markup

from app.business_case.calc import OptionResult

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 300, 70, 20, 40, 50
SERIES = (("cost", "Cost", "#005eb8"), ("savings", "Savings", "#ffb81c"))


def money_short(value: float) -> str:
    if value >= 1_000_000:
        return f"£{value / 1_000_000:.1f}m"
    if value >= 1000:
        return f"£{value / 1000:.0f}k"
    return f"£{value:.0f}"


def cost_savings_svg(result: OptionResult, *, for_print: bool = False) -> Markup | None:
    """Bars per year: the service's cost and the savings it brings (today's money)."""
    if not result.ok or not result.years:
        return None
    top = max(max(y.cost for y in result.years), max(y.savings for y in result.years)) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(result.years)
    bar = slot * 0.36
    size = 'width="640" height="300"' if for_print else 'width="100%"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" {size} '
        'role="img" aria-labelledby="case-chart-title case-chart-desc" class="app-chart" '
        'font-family="Arial, sans-serif">',
        '<title id="case-chart-title">Cost against savings by year</title>',
        '<desc id="case-chart-desc">Bar chart of the yearly cost of the recommended option and '
        "the savings from the fractures it prevents, for each year of the projection. The same "
        "figures are in the table by year.</desc>",
    ]
    x = LEFT
    for _key, label, colour in SERIES:
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="19" font-size="13">{label}</text>')
        x += 100
    base = TOP + plot_h
    for fraction in (0, 0.5, 1):
        y = base - plot_h * fraction
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#d8dde0"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{money_short(top * fraction)}</text>"
        )
    for i, year in enumerate(result.years):
        x0 = LEFT + i * slot + slot * 0.14
        for j, (key, _label, colour) in enumerate(SERIES):
            value = getattr(year, key)
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{LEFT + i * slot + slot / 2:.1f}" y="{base + 16}" font-size="12" '
            f'text-anchor="middle">{year.number}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}" stroke="#4c6272"/>'
    )
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{base + 36}" font-size="13" text-anchor="middle">'
        "Year of the service</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def chart_png(result: OptionResult) -> bytes | None:
    """The chart as a PNG for Word (which cannot show SVG everywhere)."""
    svg = cost_savings_svg(result, for_print=True)
    if svg is None:
        return None
    import cairosvg  # imported here: only the document download needs it

    return cairosvg.svg2png(bytestring=str(svg).encode(), output_width=1280)
