"""The delivery run chart: patients each quarter, with the promise drawn as a target line
(a step where year 1's ramp-up gives way to the steady state). Accessible SVG, no script;
the highlight report shows the same SVG on its page and, as a PNG, in Word."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from app.core import word
from app.core.raster import PngUnavailable, svg_to_png
from app.delivery.facts import deliveries_from
from app.delivery.service import Delivery

log = logging.getLogger(__name__)
# The report's charts: a narrower drawing, so its words stay legible at the printed width.
REPORT_SIZE, REPORT_WIDTH_CM = (560, 210), 12.4

BLUE, DARK, ORANGE, GREY = "#005eb8", "#212b32", "#ed8b00", "#768692"
# The portfolio's "Delivering its case" bands (app/portfolio/queries.DELIVERING_FILTERS;
# a test checks the keys match).
BAND_COLOURS = {"short": ORANGE, "on-track": BLUE, "none": GREY}


TITLE_WORDS = "patients each quarter against the promise"


def chart_description(delivery: Delivery) -> str:
    """What the chart shows, quarter by quarter, in words (its SVG description and the
    report picture's alt text)."""
    return "; ".join(
        f"{q.period.label}: {'no data' if q.numerator is None else q.numerator} "
        f"of {round(q.promised)} promised"
        for q in delivery.quarters
    )


@dataclass(frozen=True)
class ReportChart:
    """One promise's run chart for the highlight report: the delivery page's own chart,
    as SVG on the report page and as a PNG in the Word report."""

    delivery: Delivery

    @property
    def name(self) -> str:
        return f"{self.delivery.measure.label} (KPI {self.delivery.measure.kpi})"

    @property
    def alt_text(self) -> str:
        return f"{self.delivery.measure.label}: {TITLE_WORDS}. {chart_description(self.delivery)}."

    @property
    def caption(self) -> str:
        quarters = self.delivery.quarters
        return f"{self.name}, {quarters[0].period.label} to {quarters[-1].period.label}"

    @property
    def svg(self) -> Markup:
        """The chart exactly as the delivery page draws it."""
        return delivery_chart(self.delivery)

    def picture(self) -> word.Picture | None:
        """The chart at the Word report's size, or None when no PNG can be drawn (the
        report still states the numbers in words)."""
        width, height = REPORT_SIZE
        try:
            png = svg_to_png(str(delivery_chart(self.delivery, width=width, height=height)))
        except PngUnavailable:
            log.warning("delivery chart %s could not be drawn as a PNG", self.delivery.key)
            return None
        return word.Picture(
            png, width_cm=REPORT_WIDTH_CM, alt_text=self.alt_text, caption=self.caption
        )


def report_charts(values: Mapping[str, Any], today: date) -> list[ReportChart]:
    """The delivery page's run charts for the highlight report, from the report's
    `delivery_facts` values: one for each promise the audit has figures for."""
    return [ReportChart(d) for d in deliveries_from(values, today) if d.with_data]


def delivery_chart(delivery: Delivery, *, width: int = 640, height: int = 260) -> Markup:
    quarters = delivery.quarters
    chart_id = f"delivery-chart-{delivery.key}"
    left, right, top, bottom = 56, 16, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [q.numerator for q in quarters if q.numerator is not None]
    high = max([*values, *(q.promised for q in quarters), 1.0]) * 1.15
    step = plot_w / max(len(quarters), 1)
    # At most eight quarter labels, so they stay legible where the chart is narrowed to a
    # phone or the printed report's width.
    label_every = max(1, -(-len(quarters) // 8))

    def x(i: int) -> float:
        return left + step * (i + 0.5)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / high)

    label = escape(delivery.measure.label)
    desc = chart_description(delivery)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="app-chart delivery-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{label}: {TITLE_WORDS}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{GREY}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="14" fill="{DARK}">'
        f"{round(high)}</text>",
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="14" '
        f'fill="{DARK}">0</text>',
    ]
    for i, q in enumerate(quarters):  # the promise: a dashed step line
        x0, x1 = left + step * i, left + step * (i + 1)
        parts.append(
            f'<line class="delivery-promise" x1="{x0:.1f}" y1="{y(q.promised):.1f}" '
            f'x2="{x1:.1f}" y2="{y(q.promised):.1f}" stroke="{ORANGE}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
                f'font-size="12" fill="{DARK}">{escape(q.period.key)}</text>'
            )
    points = [(x(i), y(q.numerator)) for i, q in enumerate(quarters) if q.numerator is not None]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for px, py in points:
        parts.append(
            f'<circle class="delivery-actual" cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{BLUE}"/>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 8}" font-size="14" fill="{DARK}">'
        "Blue: patients the audit counted. Orange dashes: the promise.</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def portfolio_chart(bands: list[tuple[str, str, int, str]], current: str = "") -> Markup:
    """How many sites fall in each "Delivering its case" band, (key, label, sites, link) a
    band: a list of links, each to the band's sites, over a bar as long as its share of the
    busiest band; the band the page is filtered by (`current`) is marked. One bar a band,
    not a site, so the chart stays the same size at 1,000 sites; the words stay the page's
    own size on a phone, and the bar repeats the number so it is hidden from screen
    readers."""
    high = max([count for _key, _label, count, _link in bands] + [1])
    items = []
    for key, label, count, link in bands:
        length = 100 * count / high
        marked = ' aria-current="true"' if key == current else ""
        items.append(
            f'<li class="app-band" data-band="{escape(key)}"><a href="{escape(link)}"{marked}>'
            f"{escape(label)}: {count:,} site{'' if count == 1 else 's'}</a>"
            '<svg class="app-band__bar" viewBox="0 0 100 4" preserveAspectRatio="none" '
            'aria-hidden="true" focusable="false">'
            f'<rect x="0" y="0" width="{length:.1f}" height="4" fill="{BAND_COLOURS[key]}"/>'
            "</svg></li>"
        )
    return Markup(
        '<ul class="nhsuk-list app-band-chart delivery-portfolio-chart" id="delivery-bands" '
        f'aria-labelledby="delivery-heading">{"".join(items)}</ul>'
    )
