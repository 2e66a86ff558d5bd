"""The timeline's charts as SVG markup, written in Python.

A large plan draws several hundred bars and, in every part, the month axis again: as
template expressions that was most of the page's time (each value escaped on its own).
The markup is the same as the template wrote; names are escaped, numbers are ours.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.core.dates import uk_date
from app.plan.timeline import HEADER, ROW, Bar, Chart
from app.toolkit.vocabulary import RAG

# A bar's colour and letter (R, A, G, C): the legend above the charts explains them.
FILLS = {key: status.fill for key, status in RAG.items()}
LETTERS = {key: status.label[0] for key, status in RAG.items()}
NO_RAG_FILL = "#768692"


def chart_svg(chart: Chart, number: int) -> Markup:
    """One phase of the timeline as a table of SVG strips: the month axis in the table's
    head, the phase's band and each task a row below. Printed, the table flows across pages
    and the browser repeats its head on each one, so every page starts with the months and
    none is left part empty (a chart as one SVG cannot be split, and moved whole to the next
    page). `number` (from 1) keeps the title and description ids unique."""
    out = [
        f'<table class="app-gantt" role="img" aria-labelledby="gantt-title-{number}" '
        f'aria-describedby="gantt-desc-{number}">\n'
        f'<caption class="nhsuk-u-visually-hidden"><span id="gantt-title-{number}">Timeline of '
        f'{escape(chart.title)}</span> <span id="gantt-desc-{number}">Tasks of '
        f"{escape(chart.title)} on a month axis from {uk_date(chart.start)} to "
        f"{uk_date(chart.end)}. The same tasks are listed by month on small screens, and "
        "the phases are in the table below.</span></caption>\n",
        "<thead><tr><td>",
        _strip(chart, 0, HEADER, _axis(chart)),
        "</td></tr></thead>\n<tbody>\n",
    ]
    for index, bar in enumerate(chart.bars):
        last = index == len(chart.bars) - 1
        if bar.phase:  # the band, and the gap under it
            height = ROW + 4 if not last else ROW + 12
            content = _band(bar, chart)
        else:
            height = bar.height + (8 if last else 0)
            content = _task(bar)
        out.append(f"<tr><td>{_strip(chart, bar.y, height, content)}</td></tr>\n")
    out.append("</tbody></table>")
    return Markup("".join(out))


def _strip(chart: Chart, top: float, height: float, content: str) -> str:
    """The chart's rows from `top` to `top + height` as one SVG: its month lines and the
    today line behind and through `content`, drawn in the chart's own coordinates."""
    bottom = top + height
    grid = "".join(
        f'<line x1="{x}" y1="{max(top, 17 if label else 30)}" x2="{x}" y2="{bottom}" '
        'stroke="#d8dde0"/>'
        for x, label in chart.months
    )
    today = ""
    if chart.today_x:
        today = (
            f'<line x1="{chart.today_x}" y1="{max(top, 34)}" x2="{chart.today_x}" y2="{bottom}" '
            'stroke="#212b32" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    return (
        f'<svg class="app-gantt-strip" viewBox="0 {top} {chart.width} {height}" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f"{grid}{content}{today}</svg>"
    )


def _axis(chart: Chart) -> str:
    """The month labels, the axis line and the today label (the table's head); printed, the
    phase's name too, so a page a phase runs on to says which phase its rows belong to."""
    out = [f'<text x="{x + 2}" y="13">{escape(label)}</text>' for x, label in chart.months if label]
    out.append(f'<text class="app-gantt-phase" x="4" y="30">{escape(chart.title)}</text>')
    out.append(
        f'<line x1="{chart.label_width}" y1="34" x2="{chart.width}" y2="34" stroke="#aeb7bd"/>'
    )
    if chart.today_x:
        x = chart.today_x
        out.append(
            f'<rect x="{x - 19}" y="20" width="38" height="13" fill="#ffffff"/>'
            f'<text x="{x}" y="30" font-weight="bold" text-anchor="middle">Today</text>'
        )
    return "".join(out)


def _band(bar: Bar, chart: Chart) -> str:
    rag = f" ({escape(bar.rag.capitalize())})" if bar.rag else ""
    fill = (
        f'<rect x="{bar.x}" y="{bar.y + 4}" width="{bar.width}" height="14" fill="#aeb7bd"/>'
        if bar.width
        else ""
    )
    return (
        '  <g class="band">\n'
        f'    <rect x="0" y="{bar.y}" width="{chart.width}" height="22" fill="#e8edee"/>\n'
        f"    {fill}\n"
        f'    <text x="4" y="{bar.y + 16}">{escape(bar.label)}{rag}</text>\n'
        "  </g>\n"
    )


def _task(bar: Bar) -> str:
    rag = bar.view.rag if bar.view else None
    first, *more = bar.lines
    name = f'<tspan x="12" dy="0">{escape(first)}</tspan>' + "".join(
        f'<tspan x="12" dy="15">{escape(line)}</tspan>' for line in more
    )
    out = f'  <g>\n    <text x="12" y="{bar.y + 15}">{name}</text>\n'
    if bar.width:
        top = bar.mid - 10
        fill, letter = FILLS.get(rag, NO_RAG_FILL), LETTERS.get(rag, "N/A")
        if bar.diamond:
            cx = bar.x + bar.width
            out += (
                f'    <polygon points="{cx},{top + 2} {cx + 8},{top + 10} {cx},{top + 18} '
                f'{cx - 8},{top + 10}" fill="{fill}" stroke="#212b32"/>\n'
                f'    <text x="{cx + 11}" y="{top + 14}">{letter}</text>\n'
            )
        else:
            out += (
                f'    <rect x="{bar.x}" y="{top + 4}" width="{bar.width}" height="12" '
                f'fill="{fill}"/>\n'
                f'    <text x="{bar.x + bar.width + 3}" y="{top + 14}">{letter}</text>\n'
            )
    return out + "  </g>\n"
