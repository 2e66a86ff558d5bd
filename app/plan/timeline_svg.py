"""The timeline's charts as SVG markup, written in Python.

A large plan draws several hundred bars and, in every part, the month axis again: as
template expressions that was most of the page's time (each value escaped on its own).
The markup is the same as the template wrote; names are escaped, numbers are ours.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.core.dates import uk_date
from app.plan.timeline import Bar, Chart
from app.toolkit.vocabulary import RAG

# A bar's colour and letter (R, A, G, C): the legend above the charts explains them.
FILLS = {key: status.fill for key, status in RAG.items()}
LETTERS = {key: status.label[0] for key, status in RAG.items()}
NO_RAG_FILL = "#768692"


def chart_svg(chart: Chart, number: int) -> Markup:
    """One part of the timeline: `number` (from 1) keeps its title and description ids unique."""
    out = [
        f'<svg class="app-gantt" role="img" aria-labelledby="gantt-title-{number} '
        f'gantt-desc-{number}" viewBox="0 0 {chart.width} {chart.height}" '
        'xmlns="http://www.w3.org/2000/svg">\n',
        f'  <title id="gantt-title-{number}">Timeline of {escape(chart.title)}</title>\n',
        f'  <desc id="gantt-desc-{number}">Tasks of {escape(chart.title)} on a month axis from '
        f"{uk_date(chart.start)} to {uk_date(chart.end)}. The same tasks are listed by month "
        "on small screens, and the phases are in the table below.</desc>\n",
        '  <g class="axis">\n',
    ]
    for x, label in chart.months:
        out.append(
            f'    <line x1="{x}" y1="{17 if label else 30}" x2="{x}" y2="{chart.height}" '
            'stroke="#d8dde0"/>\n'
        )
        if label:
            out.append(f'    <text x="{x + 2}" y="13">{escape(label)}</text>\n')
    out.append(
        f'  <line x1="{chart.label_width}" y1="34" x2="{chart.width}" y2="34" '
        'stroke="#aeb7bd"/>\n  </g>\n'
    )
    for bar in chart.bars:
        out.append(_band(bar, chart) if bar.phase else _task(bar))
    if chart.today_x:
        x = chart.today_x
        out.append(
            f'  <line x1="{x}" y1="34" x2="{x}" y2="{chart.height}" stroke="#212b32" '
            'stroke-width="2" stroke-dasharray="4 3"/>\n'
            f'  <rect x="{x - 19}" y="20" width="38" height="13" fill="#ffffff"/>\n'
            f'  <text x="{x}" y="30" font-weight="bold" text-anchor="middle">Today</text>\n'
        )
    out.append("</svg>")
    return Markup("".join(out))


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
