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


def portfolio_chart(sites: list[tuple[str, int, int]], *, width: int = 640) -> Markup:
    """Promised against delivered for every live site: (name, promised, delivered) patients
    found and treated since each case was agreed, two bars a site."""
    left, right, top, bar, gap = 230, 70, 10, 14, 12
    plot = width - left - right
    high = max([p for _n, p, _d in sites] + [d for _name, _promised, d in sites] + [1])
    height = top + len(sites) * (2 * bar + gap) + 40
    described = "; ".join(f"{n}: {d:,} delivered of {p:,} promised" for n, p, d in sites)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        'role="img" aria-labelledby="delivery-portfolio-title delivery-portfolio-desc" '
        'class="app-chart delivery-portfolio-chart">',
        '<title id="delivery-portfolio-title">Promised against delivered, every live site</title>',
        f'<desc id="delivery-portfolio-desc">Patients found and treated since each business '
        f"case was agreed. {escape(described)}.</desc>",
    ]
    for i, (name, promised, delivered) in enumerate(sites):
        y = top + i * (2 * bar + gap)
        parts.append(
            f'<text x="{left - 6}" y="{y + bar + 4}" font-size="13" text-anchor="end">'
            f"{escape(name[:28])}</text>"
        )
        for j, (value, colour, css) in enumerate(
            ((promised, ORANGE, "delivery-promised"), (delivered, BLUE, "delivery-delivered"))
        ):
            w = plot * value / high
            top_y = y + j * bar
            parts.append(
                f'<rect class="{css}" x="{left}" y="{top_y}" width="{w:.1f}" height="{bar - 2}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{left + w + 4:.1f}" y="{top_y + bar - 4}" font-size="11">'
                f"{value:,}</text>"
            )
    parts.append(
        f'<text x="{left}" y="{height - 12}" font-size="12" fill="{DARK}">'
        "Orange: promised. Blue: delivered (patients found and treated).</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
